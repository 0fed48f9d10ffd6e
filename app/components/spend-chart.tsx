import { niceCeiling, shortPounds } from '~/components/income-chart'
import { formatPence } from '~/domain/money'

/**
 * /spend's bar chart: what the school was invoiced each month (net of credit
 * notes), this year beside last year. Drawn on the server as SVG so it shows
 * without JavaScript; one image to assistive technology (role="img", a title
 * and a description stating the totals); the page's month table beside it is
 * its text alternative. The two years differ by more than colour: last year's
 * bars are hatched outlines. Colours have 3:1 contrast against white.
 */

export type SpendChartMonth = { label: string; thisYear: number; lastYear: number }

const WIDTH = 720
const HEIGHT = 320
const PAD = { top: 44, right: 16, bottom: 40, left: 72 }
const FONT = '"Helvetica Neue", Helvetica, Arial, sans-serif'
const COLOURS = { thisYear: '#1d70b8', lastYear: '#505a5f', grid: '#b1b4b6', text: '#0b0c0c' }

export function SpendChart({
  id,
  title,
  months,
  thisYearLabel,
  lastYearLabel,
}: {
  id: string
  title: string
  months: SpendChartMonth[]
  thisYearLabel: string
  lastYearLabel: string
}) {
  const top = niceCeiling(Math.max(0, ...months.flatMap((m) => [m.thisYear, m.lastYear])) * 1.05)
  const plotW = WIDTH - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const slot = plotW / months.length
  const bar = slot * 0.36
  const y = (pence: number) => PAD.top + plotH - (plotH * Math.max(0, pence)) / top
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(top * f))
  const sum = (k: 'thisYear' | 'lastYear') => months.reduce((a, m) => a + m[k], 0)
  const description = `Invoiced each month, net of credit notes: ${formatPence(sum('thisYear'))} in ${thisYearLabel} so far and ${formatPence(sum('lastYear'))} in ${lastYearLabel}. The table below gives every month’s figures.`
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
      <defs>
        <pattern id={`${id}-hatch`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <line x1="0" y1="0" x2="0" y2="6" stroke={COLOURS.lastYear} strokeWidth="2" />
        </pattern>
      </defs>
      <g fontFamily={FONT} fontSize="13" fill={COLOURS.text}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} stroke={COLOURS.grid} strokeWidth="1" />
            <text x={PAD.left - 8} y={y(t) + 5} textAnchor="end">
              {shortPounds(t)}
            </text>
          </g>
        ))}
        {months.map((m, i) => {
          const x = PAD.left + slot * i + slot / 2
          return (
            <g key={m.label}>
              <rect
                x={x - bar - 1}
                y={y(m.lastYear)}
                width={bar}
                height={PAD.top + plotH - y(m.lastYear)}
                fill={`url(#${id}-hatch)`}
                stroke={COLOURS.lastYear}
              />
              <rect x={x + 1} y={y(m.thisYear)} width={bar} height={PAD.top + plotH - y(m.thisYear)} fill={COLOURS.thisYear} />
              <text x={x} y={HEIGHT - PAD.bottom + 20} textAnchor="middle">
                {m.label}
              </text>
            </g>
          )
        })}
        <g transform={`translate(${PAD.left}, 16)`}>
          <rect x="0" y="-8" width="16" height="14" fill={COLOURS.thisYear} />
          <text x="22" y="4">
            {thisYearLabel}
          </text>
          <rect x="110" y="-8" width="16" height="14" fill={`url(#${id}-hatch)`} stroke={COLOURS.lastYear} />
          <text x="132" y="4">
            {lastYearLabel}
          </text>
        </g>
      </g>
    </svg>
  )
}
