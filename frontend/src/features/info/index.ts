export { LandingPage } from './LandingPage';
export { AccessibilityPage, ImprintPage, LegalPage, PrivacyPage } from './LegalPage';
