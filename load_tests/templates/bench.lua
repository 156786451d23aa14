-- wrk script composed per run by load_tests/wrk.py. Settings come from the environment:
--   WRK_MEAN_DELAY_MS  > 0: fixed-rate mode, each connection waits a uniform random
--                      0..2*MEAN ms before each request (PERFORMANCE-PROBE.md Appendix A.3)
--   WRK_COUNT_STATUS   "1": count responses by status (200/401/429/other) in response()
--   WRK_MAX_REQUESTS   > 0: stop after that many responses (tiny runs; implies counting)
--   WRK_METHOD         the request method (default GET)
--   WRK_BODY_FILE      a file whose bytes are every request's body (POST runs)
-- done() prints one line "BENCH {json}" that load_tests/wrk.py parses.
local mean = tonumber(os.getenv("WRK_MEAN_DELAY_MS") or "0")
local max_requests = tonumber(os.getenv("WRK_MAX_REQUESTS") or "0")
local counting = os.getenv("WRK_COUNT_STATUS") == "1" or max_requests > 0
local threads = {}

wrk.method = os.getenv("WRK_METHOD") or "GET"
local body_file = os.getenv("WRK_BODY_FILE") or ""
if body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
end

function setup(thread)
  table.insert(threads, thread)
end

if mean > 0 then
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  function delay()
    return math.random(0, 2 * mean)
  end
end

if counting then
  s200, s401, s429, sother, seen = 0, 0, 0, 0, 0
  function response(status, headers, body)
    if status == 200 then s200 = s200 + 1
    elseif status == 401 then s401 = s401 + 1
    elseif status == 429 then s429 = s429 + 1
    else sother = sother + 1 end
    seen = seen + 1
    if max_requests > 0 and seen >= max_requests then wrk.thread:stop() end
  end
end

local function total(name)
  local sum = 0
  for _, thread in ipairs(threads) do sum = sum + (thread:get(name) or 0) end
  return sum
end

function done(summary, latency, requests)
  local e = summary.errors
  local counts = "null"
  if counting then
    counts = string.format('{"200": %d, "401": %d, "429": %d, "other": %d}',
      total("s200"), total("s401"), total("s429"), total("sother"))
  end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "non2xx": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "mean_us": %.1f, "status": %s}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    counts))
end
