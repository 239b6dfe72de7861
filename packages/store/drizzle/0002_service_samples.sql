CREATE TABLE `service_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engine` text NOT NULL,
	`project` text NOT NULL,
	`service` text NOT NULL,
	`at` integer NOT NULL,
	`cpu_percent` real,
	`memory_bytes` integer,
	`restarts` integer NOT NULL,
	`errors_per_minute` real,
	`latency_p50_ms` real,
	`latency_p95_ms` real
);
--> statement-breakpoint
CREATE INDEX `service_samples_scope_at` ON `service_samples` (`engine`,`project`,`service`,`at`);