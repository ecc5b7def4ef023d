import { api } from '../../api/client';
import { firstNumber, frameCustom, framesOf } from '../../api/frames';

/** The KPI row of the collector's `cost_summary` query (month to date, reporting currency). */
export interface CostSummary {
  currency: string;
  monthToDate: number | null;
  changePercent: number | null;
  forecast: number | null;
  activeResources: number | null;
  providers: number | null;
  potentialSavings: number | null;
}

const DAY = 86_400_000;

export async function loadCostSummary(now: Date = new Date()): Promise<CostSummary> {
  // cost_summary works on calendar months itself; the range only has to cover this and last month.
  const response = await api.query({
    from: new Date(now.getTime() - 62 * DAY).toISOString(),
    to: now.toISOString(),
    queries: [{ refId: 'summary', queryType: 'cost_summary' }],
  });
  const frame = framesOf(response, 'summary')[0];
  const currency = frameCustom(frame).currency;
  return {
    currency: typeof currency === 'string' ? currency : 'RUB',
    monthToDate: firstNumber(frame, 'month_to_date'),
    changePercent: firstNumber(frame, 'change_percent'),
    forecast: firstNumber(frame, 'forecast_month_end'),
    activeResources: firstNumber(frame, 'active_resources'),
    providers: firstNumber(frame, 'connected_providers'),
    potentialSavings: firstNumber(frame, 'potential_savings'),
  };
}
