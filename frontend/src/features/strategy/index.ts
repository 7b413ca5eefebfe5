export { DistrictStrategyPage, TownStrategyPage } from './StrategyPage';
