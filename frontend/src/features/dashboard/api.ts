// The dashboard calls, typed by the generated OpenAPI schema.
import { api, call, type Schemas } from '@/lib/api';

export type DistrictDashboard = Schemas['DistrictDashboard'];
export type TownDashboard = Schemas['TownDashboard'];
export type Activity = Schemas['Activity'];
export type FundingNumbers = Schemas['FundingNumbers'];
export type Today = Schemas['Today'];
export type TodayItem = Schemas['TodayItem'];
export type TodayList = Schemas['TodayList'];

export const dashboardApi = {
  district: (districtId?: string) =>
    call(() => api.GET('/api/v1/dashboard/district', { params: { query: districtId ? { district_id: districtId } : {} } })),
  town: () => call(() => api.GET('/api/v1/dashboard/town')),
  today: () => call(() => api.GET('/api/v1/me/today')),
};
