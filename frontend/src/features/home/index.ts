// The start page after sign-in.
export { HomePage } from './HomePage';
