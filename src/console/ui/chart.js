// A live line chart (uPlot) over a fixed time window ending now: one line per named series, sharing
// the times. The metrics page and the replication tab draw their pictures with it.
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import { html } from './html.js'

export const chartColours = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#ea580c']

/** times: seconds since the epoch; series: Map name → values (null for no value at that time). */
export function Chart({ title, unit, times, series, windowSeconds }) {
  const container = useRef()
  const plot = useRef()
  const names = [...series.keys()]
  const shape = names.join('\n')
  useEffect(() => {
    const width = Math.max(280, container.current.clientWidth)
    plot.current = new uPlot({
      width, height: 220,
      // A fixed window ending now: the chart scrolls instead of stretching its first points.
      scales: { x: { time: true, range: (_, _min, max) => {
        const end = max ?? Date.now() / 1000
        return [end - windowSeconds, end]
      } } },
      axes: [{}, { label: unit, size: 60 }],
      series: [{}, ...names.map((name, at) => ({ label: name, stroke: chartColours[at % chartColours.length], width: 2, spanGaps: false }))],
      legend: { live: false },
    }, [times, ...names.map((name) => series.get(name))], container.current)
    const resize = new ResizeObserver(() => {
      if (plot.current && container.current) plot.current.setSize({ width: Math.max(280, container.current.clientWidth), height: 220 })
    })
    resize.observe(container.current)
    return () => { resize.disconnect(); plot.current.destroy(); plot.current = undefined }
  }, [shape])
  useEffect(() => { plot.current?.setData([times, ...names.map((name) => series.get(name))]) })
  return html`<figure class="chart" data-points=${times.length} data-series=${names.length}>
    <figcaption>${title}</figcaption>
    <div ref=${container} role="img" aria-label=${`${title}: ${names.join(', ') || 'no data yet'}`}></div>
  </figure>`
}

