import { IMAGE_SCOPES, type Rule, type Scope, type Subject } from './types.js'

/** What a scope runs on. */
export const subjectOf = (scope: Scope): Subject => (IMAGE_SCOPES as readonly string[]).includes(scope) ? 'image' : 'dockerfile'

/** How the rule judges that subject: the rule itself, its image check, or undefined when it does not judge it. */
export const checkFor = (rule: Rule, subject: Subject): Rule | undefined => rule.subject === subject ? rule : subject === 'image' ? rule.image : undefined
