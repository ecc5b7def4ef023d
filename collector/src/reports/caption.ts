/**
 * The short summary that travels with a delivered report: the Telegram caption and the email body. Built
 * from the run's stored summary, so a retried delivery says exactly what the first attempt said.
 */
import type { Language } from './definition.js';
import { formatMoney, formatPercent, formatRange } from './format.js';
import { strings } from './i18n.js';
import type { ReportSummary } from './model.js';

export interface RunSummary extends ReportSummary {
  reportName: string;
  language: Language;
  timezone: string;
  periodFrom: string;
  /** The last instant included (to − 1 ms). */
  periodLast: string;
}

export function periodLabel(s: RunSummary): string {
  return formatRange(new Date(s.periodFrom), new Date(s.periodLast), s.language, s.timezone);
}

export function summaryText(s: RunSummary): string {
  const t = strings(s.language);
  const money = (v: string) => formatMoney(v, s.currency, s.language);
  const change =
    s.changePercent === null ? '' : ` (${formatPercent(s.changePercent, s.language, true)} ${t.caption.vs})`;
  return [
    `${t.product}: ${s.reportName}`,
    `${t.period}: ${periodLabel(s)}`,
    `${t.caption.spend}: ${money(s.total)}${change}`,
    ...(s.topProvider ? [`${t.caption.topProvider}: ${s.topProvider.name} — ${money(s.topProvider.cost)}`] : []),
    ...(s.potentialSavings ? [`${t.caption.savings}: ${money(s.potentialSavings)} ${t.caption.perMonth}`] : []),
  ].join('\n');
}

export function emailSubject(s: RunSummary): string {
  return strings(s.language).emailSubject(s.reportName, periodLabel(s));
}
