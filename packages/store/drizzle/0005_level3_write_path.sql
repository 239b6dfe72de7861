CREATE TABLE `totp_used` (
	`actor` text NOT NULL,
	`step` integer NOT NULL,
	`used_at` integer NOT NULL,
	PRIMARY KEY(`actor`, `step`)
);
--> statement-breakpoint
ALTER TABLE `executions` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `executions` ADD `host` text;--> statement-breakpoint
ALTER TABLE `executions` ADD `action_json` text;