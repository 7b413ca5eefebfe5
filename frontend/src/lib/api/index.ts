export { api, getAccessToken, ifMatch, onSessionChange, refreshSession, setAccessToken, setRequestLocale } from './client';
export type { Me, Role, Schemas, TokenResponse } from './client';
export { ApiError, call, fieldErrors, problemKind, problemMessage, unwrap } from './problem';
export type { Problem, ProblemKind } from './problem';
