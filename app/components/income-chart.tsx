import { formatPoundsRounded } from '~/utils/format'

/**
 * The cumulative income chart of /la/trading, drawn on the server as SVG so
 * that it shows without JavaScript. It is one image to assistive technology
 * (role="img" with a title and a description that states the figures);
 * the page gives the same figures as a table beside it. The series differ by
 * more than colour: this year is a solid line with dots, last year dashed,
 * the target a thick labelled line. Every colour has at least 3:1 contrast
 * against white (WCAG 1.4.11).
 */

export type ChartMonth = { label: string; thisYear: number | null; lastYear: number }

const WIDTH = 720
const HEIGHT = 340
const PAD = { top: 48, right: 24, bottom: 40, left: 76 }
const FONT = '"Helvetica Neue", Helvetica, Arial, sans-serif'
const COLOURS = { thisYear: '#1d70b8', lastYear: '#505a5f', target: '#d4351c', grid: '#b1b4b6', text: '#0b0c0c' }

/** A round number at or above `value` for the top of the axis: 1, 2 or 5 × a power of ten. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 100_00
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power
  return 10 * power
}

/** "£1.2m", "£650k", "£900": short pounds for an axis. */
export function shortPounds(pence: number): string {
  const pounds = pence / 100
  if (pounds >= 1_000_000) return `£${(pounds / 1_000_000).toLocaleString('en-GB', { maximumFractionDigits: 2 })}m`
  if (pounds >= 1_000) return `£${(pounds / 1_000).toLocaleString('en-GB', { maximumFractionDigits: 1 })}k`
  return `£${pounds.toLocaleString('en-GB', { maximumFractionDigits: 0 })}`
}

export function IncomeChart({
  id,
  title,
  months,
  targetPence,
  thisYearLabel,
  lastYearLabel,
}: {
  id: string
  title: string
  months: ChartMonth[]
  targetPence: number
  thisYearLabel: string
  lastYearLabel: string
}) {
  const values = [targetPence, ...months.map((m) => m.thisYear ?? 0), ...months.map((m) => m.lastYear)]
  const top = niceCeiling(Math.max(...values) * 1.05)
  const plotW = WIDTH - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const x = (i: number) => PAD.left + (plotW * (i + 0.5)) / months.length
  const y = (pence: number) => PAD.top + plotH - (plotH * pence) / top
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(top * f))
  const path = (points: [number, number][]) => points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ')
  const thisYear = months.flatMap((m, i) => (m.thisYear === null ? [] : [[x(i), y(m.thisYear)] as [number, number]]))
  const lastYear = months.map((m, i) => [x(i), y(m.lastYear)] as [number, number])
  const latest = [...months].reverse().find((m) => m.thisYear !== null)
  const description =
    `Income booked so far in ${thisYearLabel}, added up month by month` +
    (latest ? `, reaches ${formatPoundsRounded(latest.thisYear ?? 0)} by ${latest.label}` : ', none yet') +
    `, against a target of ${formatPoundsRounded(targetPence)}. In ${lastYearLabel} it reached ${formatPoundsRounded(months.at(-1)?.lastYear ?? 0)} by the end of the year. ` +
    'The table below gives every month’s figures.'
  return (
    <svg
      className="app-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      focusable="false"
      style={{ maxWidth: `${WIDTH}px`, height: 'auto', display: 'block' }}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <g fontFamily={FONT} fontSize="14" fill={COLOURS.text}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} stroke={COLOURS.grid} strokeWidth="1" />
            <text x={PAD.left - 8} y={y(t) + 5} textAnchor="end">
              {shortPounds(t)}
            </text>
          </g>
        ))}
        {months.map((m, i) => (
          <text key={m.label} x={x(i)} y={HEIGHT - PAD.bottom + 22} textAnchor="middle">
            {m.label}
          </text>
        ))}
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(targetPence)} y2={y(targetPence)} stroke={COLOURS.target} strokeWidth="3" />
        <text x={WIDTH - PAD.right} y={y(targetPence) - 8} textAnchor="end" fill={COLOURS.target} fontWeight="700">
          Target {shortPounds(targetPence)}
        </text>
        <path d={path(lastYear)} fill="none" stroke={COLOURS.lastYear} strokeWidth="2.5" strokeDasharray="8 6" />
        {thisYear.length ? <path d={path(thisYear)} fill="none" stroke={COLOURS.thisYear} strokeWidth="3.5" /> : null}
        {thisYear.map(([px, py], i) => (
          <circle key={i} cx={px} cy={py} r="5" fill={COLOURS.thisYear} />
        ))}
        {/* Legend */}
        <g transform={`translate(${PAD.left}, 18)`}>
          <line x1="0" x2="28" y1="0" y2="0" stroke={COLOURS.thisYear} strokeWidth="3.5" />
          <circle cx="14" cy="0" r="5" fill={COLOURS.thisYear} />
          <text x="36" y="5">
            {thisYearLabel}
          </text>
          <line x1="120" x2="148" y1="0" y2="0" stroke={COLOURS.lastYear} strokeWidth="2.5" strokeDasharray="8 6" />
          <text x="156" y="5">
            {lastYearLabel}
          </text>
          <line x1="240" x2="268" y1="0" y2="0" stroke={COLOURS.target} strokeWidth="3" />
          <text x="276" y="5">
            Target
          </text>
        </g>
      </g>
    </svg>
  )
}
