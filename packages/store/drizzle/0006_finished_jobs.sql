CREATE TABLE `finished_jobs` (
	`engine` text NOT NULL,
	`container_id` text NOT NULL,
	`finished_at` text NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`engine`, `container_id`)
);
