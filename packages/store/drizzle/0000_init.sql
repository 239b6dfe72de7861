CREATE TABLE `metric_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engine` text NOT NULL,
	`container_id` text NOT NULL,
	`at` integer NOT NULL,
	`cpu_total` real NOT NULL,
	`cpu_system` real NOT NULL,
	`online_cpus` integer NOT NULL,
	`memory_bytes` integer,
	`memory_limit_bytes` integer
);
--> statement-breakpoint
CREATE INDEX `metric_samples_container_at` ON `metric_samples` (`engine`,`container_id`,`at`);