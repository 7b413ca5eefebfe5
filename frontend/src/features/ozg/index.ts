// The OZG service catalogue (read-only for every signed-in user).
export { OzgPage } from './OzgPage';
