-- wrk script for bench/run.sh: every request a search no other request of the run makes, so
-- none is answered from the result cache. The searches come from the file named after `--`
-- (one `q<TAB>page` per line, written by bench/run.sh); each wrk thread starts at its own line,
-- from the second argument on, spaced by a quarter of the file.
local paths = {}
local threads = 0
local n = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local q, page = line:match("^([^\t]+)\t(%d+)")
    paths[#paths + 1] = "/search?q=" .. q .. "&page=" .. page
  end
  n = (tonumber(args[2]) or 0) + thread_number * math.floor(#paths / 4)
end

function request()
  n = n + 1
  return wrk.format("GET", paths[n % #paths + 1])
end
