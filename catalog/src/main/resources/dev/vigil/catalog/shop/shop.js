// The storefront's script: its pages' behaviour and real-user monitoring (RUM), no build step.
//
// RUM: navigation timing (load end), Core Web Vitals (LCP, INP, CLS) with FCP and TTFB from Google's
// web-vitals library, and each API call's duration as this browser saw it are queued and sent to the
// catalog's /rum/beacon with navigator.sendBeacon: when 16 samples are queued, when the page is
// hidden (web-vitals reports LCP, CLS and INP then) and on pagehide. Every API call carries a W3C
// traceparent made here, so the server's trace continues this browser's trace id.
var shop = (function () {
  'use strict';

  var PAGE = document.body.dataset.page;
  var queue = [];

  function flush() {
    while (queue.length > 0) {
      var body = JSON.stringify({ page: PAGE, samples: queue.splice(0, 16) });
      var blob = new Blob([body], { type: 'application/json' });
      if (!navigator.sendBeacon('/rum/beacon', blob)) {
        fetch('/rum/beacon', {
          method: 'POST', body: body, keepalive: true,
          headers: { 'Content-Type': 'application/json' }
        }).catch(function () {});
      }
    }
  }

  function record(sample) {
    queue.push(sample);
    // once hidden the page may never run again: send now
    if (queue.length >= 16 || document.visibilityState === 'hidden') {
      flush();
    }
  }

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      flush();
    }
  });
  addEventListener('pagehide', flush);

  // Navigation timing: from navigation start to the end of the load event, in seconds.
  addEventListener('load', function () {
    setTimeout(function () {
      var nav = performance.getEntriesByType('navigation')[0];
      if (nav && nav.loadEventEnd > 0) {
        record({ kind: 'page_load', value: nav.loadEventEnd / 1000 });
        flush();
      }
    }, 0);
  });

  // Core Web Vitals: times in seconds, CLS as its unitless score.
  function vital(metric) {
    record({
      kind: 'web_vital', name: metric.name,
      value: metric.name === 'CLS' ? metric.value : metric.value / 1000
    });
  }
  if (window.webVitals) {
    webVitals.onLCP(vital);
    webVitals.onINP(vital);
    webVitals.onCLS(vital);
    webVitals.onFCP(vital);
    webVitals.onTTFB(vital);
  }

  function hex(bytes) {
    var b = new Uint8Array(bytes);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }

  // A W3C trace context (https://www.w3.org/TR/trace-context/): version 00, a random 16-byte trace id,
  // a random 8-byte parent (span) id, sampled. All-zero ids are invalid: drawn again.
  function newTrace() {
    var traceId = hex(16);
    var spanId = hex(8);
    while (/^0+$/.test(traceId)) { traceId = hex(16); }
    while (/^0+$/.test(spanId)) { spanId = hex(8); }
    return { traceId: traceId, traceparent: '00-' + traceId + '-' + spanId + '-01' };
  }

  // Calls the catalog's API; endpoint is the route template reported with the duration.
  function api(endpoint, path, init) {
    var trace = newTrace();
    var options = init || {};
    var headers = Object.assign({ traceparent: trace.traceparent }, options.headers || {});
    var start = performance.now();
    return fetch(path, Object.assign({}, options, { headers: headers }))
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          return { status: response.status, body: body, traceId: trace.traceId };
        });
      })
      .finally(function () {
        record({ kind: 'api', endpoint: endpoint, value: (performance.now() - start) / 1000 });
      });
  }

  function money(cents) {
    return (cents / 100).toFixed(2);
  }

  function listProducts(list, error) {
    api('/api/products', '/api/products?limit=50').then(function (r) {
      if (r.status !== 200) {
        error.textContent = 'products unavailable (' + r.status + '): ' + (r.body && r.body.detail);
        return;
      }
      var items = Array.isArray(r.body) ? r.body : (r.body.items || r.body.products || []);
      items.forEach(function (p) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = '/shop/products/' + p.id;
        a.textContent = p.name;
        var price = document.createElement('span');
        price.className = 'price';
        price.textContent = money(p.price_cents);
        li.appendChild(a);
        li.appendChild(price);
        list.appendChild(li);
      });
    }, function (e) { error.textContent = 'products unavailable: ' + e; });
  }

  function showProduct(id, el) {
    api('/api/products/{id}', '/api/products/' + id).then(function (r) {
      if (r.status !== 200) {
        el.error.textContent = 'product unavailable (' + r.status + '): ' + (r.body && r.body.detail);
        return;
      }
      el.name.textContent = r.body.name;
      el.details.textContent = r.body.category + ', ' + money(r.body.price_cents) + ', ' + r.body.stock + ' in stock';
      el.order.disabled = false;
    }, function (e) { el.error.textContent = 'product unavailable: ' + e; });

    // one idempotency key per order attempt: a retried click never orders twice
    var key = hex(16);
    el.order.addEventListener('click', function () {
      el.order.disabled = true;
      el.result.textContent = 'ordering…';
      api('/api/orders', '/api/orders', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify({ items: [{ product_id: id, quantity: 1 }], payment_method: 'card' })
      }).then(function (r) {
        el.result.dataset.traceId = r.traceId;
        el.result.dataset.status = String(r.status);
        if (r.status === 201 || r.status === 202) {
          el.result.textContent = 'order ' + r.body.id + ' ' + r.body.status + ' (trace ' + r.traceId + ')';
          key = hex(16);
        } else {
          el.result.textContent = 'order refused (' + r.status + '): ' + (r.body && r.body.detail) +
            ' (trace ' + r.traceId + ')';
        }
        el.order.disabled = false;
      }, function (e) {
        el.result.textContent = 'order failed: ' + e;
        el.order.disabled = false;
      });
    });
  }

  return { listProducts: listProducts, showProduct: showProduct, flush: flush };
})();
