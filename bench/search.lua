-- wrk script for bench/appliance.sh: POST /api/search with the SciFact test queries, each connection
-- walking the list from its own offset; BENCH_BODIES names the file of JSON bodies (one per line).
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local i = 0
function init(args)
  i = (tid or 0) * 97
end

local headers = { ["Content-Type"] = "application/json" }
function request()
  i = (i % #bodies) + 1
  return wrk.format("POST", "/api/search", headers, bodies[i])
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %.3f %.2f %.2f %.2f %d\n", summary.requests,
      summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
