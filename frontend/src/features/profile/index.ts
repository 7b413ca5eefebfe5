// The signed-in user's own account.
export { ProfilePage } from './ProfilePage';
