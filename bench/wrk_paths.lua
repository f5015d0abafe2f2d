-- wrk script for bench/catalog_bench.py: every request takes the next path of a list, so a run spreads
-- over many URLs (page-cache misses) instead of repeating one.
--   wrk -tT ... -s bench/wrk_paths.lua http://127.0.0.1:PORT -- PATHS_FILE OFFSET T
-- PATHS_FILE holds one path per line ("/product/x/"). Thread t (1-based) of T sends the paths at
-- OFFSET + (t - 1), OFFSET + (t - 1) + T, ... (wrapping round the list), so threads never send the same
-- path and a run that starts where the previous one stopped sends paths not sent before.
-- Prints one JSON line, as wrk_report.lua does, plus "sent": the requests each thread made.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function load_paths(file)
  local list = {}
  for line in io.lines(file) do
    line = line:gsub("%s+$", "")
    if #line > 0 then
      list[#list + 1] = line
    end
  end
  if #list == 0 then
    error("no paths in " .. file)
  end
  return list
end

function init(args)
  paths = load_paths(args[1])
  offset = tonumber(args[2] or "0")
  stride = tonumber(args[3] or "1")  -- the number of threads: each thread has a Lua state of its own
  sent = 0
end

function request()
  local index = (offset + (id - 1) + sent * stride) % #paths
  sent = sent + 1
  return wrk.format(nil, paths[index + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  local counts = {}
  for _, thread in ipairs(threads) do
    counts[#counts + 1] = tostring(thread:get("sent"))
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "sent": [%s]}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(counts, ", ")))
end
