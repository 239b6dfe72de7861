/** Placeholder: bcon slack (issue 18). */
export const SLACK_PLACEHOLDER = true;
