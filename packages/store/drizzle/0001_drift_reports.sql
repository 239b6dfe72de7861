CREATE TABLE `drift_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`engine` text NOT NULL,
	`repo` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`differences` integer NOT NULL,
	`report` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `drift_reports_scope_at` ON `drift_reports` (`engine`,`repo`,`at`);