-- wrk script for bench/load.mjs: every request takes the next path from a file (or carries a fresh contact),
-- each thread counts the status codes it gets, and the main state sums them and prints one JSON line (prefixed
-- with SEPAR_WRK_JSON) after wrk's own report. Settings come from the environment (see bench/load.mjs).

local mode = os.getenv("SEPAR_WRK_MODE")        -- "paths" or "contact"
local token = os.getenv("SEPAR_WRK_TOKEN")
local pathsFile = os.getenv("SEPAR_WRK_PATHS")
local runId = os.getenv("SEPAR_WRK_RUN") or "run"

local threads = {}

-- Main state: give every thread an id, so that threads start at different paths and never make the same email.
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

local paths = {}
local nextIndex = 1
local sent = 0
ok = 0
non2xx = 0

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Accept"] = "application/json"
  if mode == "contact" then
    wrk.method = "POST"
    wrk.path = "/api/v1/contacts"
    wrk.headers["Content-Type"] = "application/json"
  else
    for line in io.lines(pathsFile) do
      if #line > 0 then paths[#paths + 1] = line end
    end
    nextIndex = ((tid - 1) * 7919) % #paths + 1
  end
end

-- A valid, unique contact per request (emails are unique in Separ; a duplicate would answer 409).
local function contactBody(n)
  local first, last
  if n % 2 == 1 then
    first, last = "Bench", "Loadtest" .. n
  else
    first, last = "نیما", "آزمون" .. n
  end
  return string.format(
    '{"firstName":"%s","lastName":"%s","email":"bench.%s.%d.%d@example.com","phone":"+49151%08d",'
      .. '"title":"Load test","tags":["bench"]}',
    first, last, runId, tid, n, 10000000 + ((tid * 1000003 + n) % 89999999))
end

function request()
  sent = sent + 1
  if mode == "contact" then
    return wrk.format(nil, nil, nil, contactBody(sent))
  end
  local path = paths[nextIndex]
  nextIndex = nextIndex % #paths + 1
  return wrk.format(nil, path)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'SEPAR_WRK_JSON {"reqPerSec":%.1f,"p50Ms":%.3f,"p99Ms":%.3f,"errors":%d,"non2xx":%d,"total":%d,"ok":%d}\n',
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout,
    bad,
    summary.requests,
    good))
end
