export { DistrictUsagePage } from './DistrictUsagePage';
export { ImportPage } from './ImportPage';
export { ManualEntryPage } from './ManualEntryPage';
export { MaturityPage } from './MaturityPage';
export { TokensPage } from './TokensPage';
export { TownUsagePage } from './TownUsagePage';
