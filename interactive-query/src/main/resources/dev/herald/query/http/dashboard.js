// Herald's dashboard: polls the JSON API and draws what it answers. No build step, no framework.
(function () {
  'use strict';
  const REFRESH_MS = 2000;
  const RESULTS = ['success', 'error', 'missing', 'filtered'];
  const COLORS = { success: '#3a9e5d', error: '#d64545', missing: '#e0a030', filtered: '#8a8fa0' };
  // What senders' receipts said of the outbox messages; only there once a sender runs.
  const RECEIPTS = ['delivered', 'failed', 'rejectedTarget'];
  const RECEIPT_LABELS = { delivered: 'delivered', failed: 'failed', rejectedTarget: 'rejected' };
  const RECEIPT_COLORS = { delivered: '#2f6fbf', failed: '#7a1f1f', rejectedTarget: '#b455c4' };
  let selected = null;
  const charts = {};

  function headers() {
    const token = sessionStorage.getItem('herald.token');
    return token ? { Authorization: 'Bearer ' + token } : {};
  }

  async function get(path) {
    const response = await fetch(path, { headers: headers() });
    if (response.status === 401) {
      document.getElementById('token-form').classList.remove('hidden');
      throw new Error('unauthorized');
    }
    const body = response.headers.get('Content-Type') || '';
    return { status: response.status, json: body.includes('json') ? await response.json() : await response.text() };
  }

  function text(value) {
    return value === null || value === undefined ? '-' : String(value);
  }

  function cell(row, value) {
    const td = document.createElement('td');
    td.textContent = text(value);
    row.appendChild(td);
    return td;
  }

  function hasReceipts(channel) {
    return !!channel && [...RECEIPTS, 'retries'].some(f => channel[f] > 0);
  }

  // Receipt counts: delivered always, failed, rejected and retries when not zero.
  function receiptText(channel) {
    const parts = ['delivered ' + (channel.delivered || 0)];
    if (channel.failed) parts.push('failed ' + channel.failed);
    if (channel.rejectedTarget) parts.push('rejected ' + channel.rejectedTarget);
    if (channel.retries) parts.push('retries ' + channel.retries);
    return parts.join(', ');
  }

  // Rendering results and messages, then what the receipts said of those messages once a sender has reported.
  function counts(channel) {
    if (!channel) return '-';
    const rendered = RESULTS.map(r => r + ' ' + channel[r]).join(', ') + ' · ' + channel.messages + ' msgs';
    return hasReceipts(channel) ? rendered + ' · ' + receiptText(channel) : rendered;
  }

  function partial(answers) {
    const missing = new Set();
    answers.forEach(a => (a && a.partial ? a.missing : []).forEach(m => missing.add(m)));
    const banner = document.getElementById('partial');
    banner.textContent = missing.size ? 'Partial answer: no reply from ' + [...missing].join(', ') : '';
    banner.classList.toggle('hidden', missing.size === 0);
  }

  function renderCampaigns(list) {
    const body = document.getElementById('campaigns');
    body.replaceChildren();
    list.campaigns.forEach(c => {
      const row = document.createElement('tr');
      row.dataset.campaign = c.id;
      if (c.id === selected) row.classList.add('selected');
      row.addEventListener('click', () => { selected = c.id; refresh(); });
      [c.id, c.name, c.status, (c.channels || []).join(', '), c.nextFireAt].forEach(v => cell(row, v));
      body.appendChild(row);
    });
  }

  function time(instant) {
    return instant ? new Date(instant).toLocaleTimeString() : '-';
  }

  // The progress label: counted of expected (~ while an estimate), percent once known, then the state of the run.
  function progressText(run) {
    const parts = [' ' + run.counted + ' / ' + (run.expectedFinal || run.complete ? '' : '~') + run.expected
      + (run.percent === null || run.percent === undefined ? '' : ' (' + run.percent.toFixed(1) + '%)')];
    if (run.status === 'PAUSED') parts.push('paused since ' + time(run.pausedAt));
    if (run.status === 'CANCELLED') parts.push('cancelled ' + time(run.cancelledAt) + ', ' + (run.notSent || 0)
      + ' not sent');
    if (run.ratePerSecond && run.status === 'RUNNING') parts.push(Math.round(run.ratePerSecond) + '/s');
    if (run.eta) parts.push('ETA ' + time(run.eta));
    return parts.join(' · ');
  }

  // The delivery bar and its label (messages with a final receipt of the run's messages), once there are receipts.
  function delivery(td, run) {
    const both = [run.push, run.mail].filter(c => c);
    if (!run.receipted && run.status !== 'DELIVERED' && !both.some(hasReceipts)) return;
    const sum = f => both.reduce((n, c) => n + (c[f] || 0), 0);
    const messages = sum('messages');
    const bar = document.createElement('progress');
    bar.className = 'delivery';
    bar.dataset.deliveryRun = run.runId;
    bar.max = Math.max(messages, 1);
    bar.value = run.status === 'DELIVERED' ? bar.max : Math.min(run.receipted || 0, bar.max);
    td.appendChild(bar);
    const label = document.createElement('span');
    label.className = 'delivery-label';
    const part = (value, bad) => {
      const span = document.createElement('span');
      span.textContent = ' · ' + value;
      if (bad) span.className = 'bad';
      label.appendChild(span);
    };
    label.textContent = ' ' + (run.receipted || 0) + ' of ' + messages + ' messages with a final receipt';
    part(sum('delivered') + ' delivered', false);
    if (sum('failed')) part(sum('failed') + ' failed', true);
    if (sum('rejectedTarget')) part(sum('rejectedTarget') + ' rejected', true);
    if (sum('retries')) part(sum('retries') + ' retries', false);
    if (run.deliveredAt) part('last receipt ' + time(run.deliveredAt), false);
    td.appendChild(label);
  }

  function renderRuns(runLists) {
    const body = document.getElementById('runs');
    body.replaceChildren();
    const runs = runLists.flatMap(l => (l && l.runs) || [])
      .sort((a, b) => (b.scheduledFor || '').localeCompare(a.scheduledFor || '')).slice(0, 20);
    runs.forEach(run => {
      const row = document.createElement('tr');
      row.dataset.run = run.runId;
      cell(row, run.runId);
      const status = cell(row, run.status);
      status.className = 'status status-' + String(run.status).toLowerCase();
      if (run.partitionsPaused && run.status !== 'PAUSED') {
        status.textContent += ' (' + run.partitionsPaused + ' of ' + run.partitionCount + ' paused)';
      }
      const progress = document.createElement('progress');
      progress.dataset.run = run.runId;
      progress.className = 'status-' + String(run.status).toLowerCase();
      // A cancelled run is complete, but its bar shows what it sent of what it would have sent.
      progress.max = Math.max(run.expected + (run.status === 'CANCELLED' ? run.notSent || 0 : 0), 1);
      progress.value = run.status === 'COMPLETED' || run.status === 'DELIVERED' ? progress.max
        : Math.min(run.counted, progress.max);
      const td = cell(row, '');
      td.appendChild(progress);
      const label = document.createElement('span');
      label.className = 'percent';
      label.textContent = progressText(run);
      td.appendChild(label);
      delivery(td, run);
      cell(row, counts(run.push));
      cell(row, counts(run.mail));
      cell(row, Object.entries(run.reasons || {}).map(([k, v]) => k + ' ' + v).join(', '));
      body.appendChild(row);
    });
  }

  function chart(id, summary) {
    const windows = summary.windows || [];
    const xs = windows.map(w => Date.parse(w.start) / 1000);
    // Stacked: each series is drawn as the sum of itself and those below it.
    const stacked = [];
    let below = windows.map(() => 0);
    RESULTS.forEach(r => {
      below = windows.map((w, i) => below[i] + w.push[r] + w.mail[r]);
      stacked.push(below);
    });
    const data = [xs, ...stacked.slice().reverse()];
    const series = [{}, ...RESULTS.slice().reverse().map(r => ({
      label: r, stroke: COLORS[r], fill: COLORS[r] + '99', points: { show: false } }))];
    // Receipts as dashed lines over the stacked results (messages, not deliveries), those that occur at all.
    RECEIPTS.filter(r => windows.some(w => w.push[r] + w.mail[r] > 0)).forEach(r => {
      data.push(windows.map(w => w.push[r] + w.mail[r]));
      series.push({ label: RECEIPT_LABELS[r] + ' msgs', stroke: RECEIPT_COLORS[r], width: 2, dash: [6, 4],
        points: { show: false } });
    });
    const target = document.getElementById(id);
    if (charts[id]) charts[id].destroy();
    charts[id] = new uPlot({ width: Math.max(target.clientWidth, 300), height: 220, series: series,
      scales: { x: { time: true } } }, data, target);
    totals(id.replace('chart', 'totals'), summary.totals);
  }

  // Under a chart: the sums over its windows, both channels together, in the runs' format.
  function totals(id, t) {
    const both = [t && t.push, t && t.mail].filter(c => c);
    const sum = {};
    [...RESULTS, 'messages', ...RECEIPTS, 'retries'].forEach(f => {
      sum[f] = both.reduce((n, c) => n + (c[f] || 0), 0);
    });
    document.getElementById(id).textContent = both.length ? 'Total: ' + counts(sum) : '';
  }

  async function refresh() {
    try {
      const [instances, list] = await Promise.all([get('/api/instances'), get('/api/campaigns')]);
      document.getElementById('state').textContent = instances.json.state || '-';
      document.getElementById('instances').textContent = (instances.json.instances || [])
        .map(i => i.address + (i.self ? ' (this)' : '')).join(', ');
      if (list.status !== 200) return;
      const campaigns = list.json.campaigns;
      if (!selected && campaigns.length) selected = campaigns[0].id;
      renderCampaigns(list.json);
      const runLists = await Promise.all(campaigns.map(c => get('/api/campaigns/' + encodeURIComponent(c.id)
        + '/runs').then(r => (r.status === 200 ? r.json : null))));
      renderRuns(runLists);
      partial([list.json, ...runLists]);
      if (selected) {
        document.getElementById('chart-campaign').textContent = selected;
        const base = '/api/campaigns/' + encodeURIComponent(selected) + '/summary?window=';
        // The server's default range (the last 24 hours by its clock) rather than this browser's clock.
        const [minute, hour] = await Promise.all([get(base + '1m'), get(base + '1h')]);
        if (minute.status === 200) chart('chart-1m', minute.json);
        if (hour.status === 200) chart('chart-1h', hour.json);
      }
      const metrics = await get('/metrics');
      if (metrics.status === 200 && typeof metrics.json === 'string') {
        const lines = metrics.json.split('\n').filter(l => l.startsWith('herald_dead_letters_total'));
        document.getElementById('dead-letters').textContent = lines.length
          ? String(lines.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0)) : '0';
      }
    } catch (e) {
      if (e.message !== 'unauthorized') document.getElementById('state').textContent = 'unreachable: ' + e.message;
    }
  }

  document.getElementById('token-save').addEventListener('click', () => {
    sessionStorage.setItem('herald.token', document.getElementById('token').value.trim());
    document.getElementById('token-form').classList.add('hidden');
    refresh();
  });

  async function loop() {
    await refresh();
    setTimeout(loop, REFRESH_MS);
  }
  loop();
})();
