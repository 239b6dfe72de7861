/** Placeholder: bcon serve (issue 18). */
export const WEB_PLACEHOLDER = true;
