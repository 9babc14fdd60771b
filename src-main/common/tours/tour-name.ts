/** What a viewpoint's or tour's name may be: 1 to 80 characters, none of them a control character, not blank. */
export const tourNamePattern = /^(?=.*\S)[^\p{Cc}]{1,80}$/u;
