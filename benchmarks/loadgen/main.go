// Command loadgen is an HTTP load generator for benchmarks/lookup.py, closed or open loop.
//
// It exists because the Python client (httpx) spent more CPU per request than the API under test
// (about 5 ms), so on a 2-core machine the benchmark measured its own client. Go's net/http costs
// a few tens of microseconds per request. Standard library only.
//
// Each of -c connections sends one request, waits for the whole answer, then sends the next
// (closed loop): -c is the number of requests in flight. With -rate R it runs an open loop instead:
// request i is due at i/R seconds, whatever the answers so far, and goes out on the first of the
// -c connections that is free; its latency counts from when it was due, not from when it was sent,
// so a server that falls behind shows it in the percentiles (no coordinated omission). That is the
// figure for "p99 at R requests/s": a closed loop at full speed measures latency at saturation,
// where the client's own -c requests queue behind each other. Request i asks for the i-th identifier of
// -ids (cycled), as the query parameter -param, plus the fixed -query string, with the -H headers.
// It prints one JSON object: requests, seconds, req/s, latency percentiles (ms), status counts and
// its own CPU seconds (getrusage), so the caller can subtract the client's share.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type headerList []string

func (h *headerList) String() string     { return strings.Join(*h, ", ") }
func (h *headerList) Set(v string) error { *h = append(*h, v); return nil }

type result struct {
	Requests   int            `json:"requests"`
	Seconds    float64        `json:"seconds"`
	RPS        float64        `json:"rps"`
	P50        float64        `json:"p50_ms"`
	P90        float64        `json:"p90_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	OKP50      float64        `json:"ok_p50_ms"`
	OKP99      float64        `json:"ok_p99_ms"`
	Statuses   map[string]int `json:"statuses"`
	ClientCPUs float64        `json:"client_cpu_s"`
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if line := strings.TrimSpace(scanner.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, scanner.Err()
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func percentile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted)-1) + 0.5)
	return float64(sorted[i].Microseconds()) / 1000
}

// dueAt is when request i of an open loop at `rate` requests/s is due.
func dueAt(start time.Time, i int, rate float64) time.Time {
	return start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
}

func main() {
	base := flag.String("url", "", "base URL and path, e.g. http://127.0.0.1:8000/v1/lookup")
	idsPath := flag.String("ids", "", "file with one identifier per line")
	param := flag.String("param", "identifier", "query parameter that carries the identifier")
	query := flag.String("query", "", "further query string, already encoded (e.g. purpose=...)")
	total := flag.Int("n", 1000, "requests to send")
	conns := flag.Int("c", 8, "connections, each with one request in flight")
	rate := flag.Float64("rate", 0, "open loop: requests per second, each timed from when it was due (0: closed loop)")
	timeout := flag.Duration("timeout", 30*time.Second, "per-request timeout")
	var headers headerList
	flag.Var(&headers, "H", "a header `Name: value` (repeatable)")
	flag.Parse()

	ids, err := readLines(*idsPath)
	if err != nil || len(ids) == 0 || *base == "" {
		fmt.Fprintf(os.Stderr, "loadgen: need -url and a non-empty -ids file (%v)\n", err)
		os.Exit(2)
	}
	// URLs are built before the clock starts so that the run measures the server, not formatting.
	urls := make([]string, len(ids))
	for i, id := range ids {
		u := *base + "?" + *param + "=" + url.QueryEscape(id)
		if *query != "" {
			u += "&" + *query
		}
		urls[i] = u
	}
	parsedHeaders := http.Header{}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			fmt.Fprintf(os.Stderr, "loadgen: bad header %q\n", h)
			os.Exit(2)
		}
		parsedHeaders.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	transport := &http.Transport{MaxIdleConns: *conns, MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns,
		IdleConnTimeout: 90 * time.Second, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: *timeout}

	latencies := make([]time.Duration, *total)
	statuses := make([]int, *total)
	var next atomic.Int64
	var wg sync.WaitGroup
	cpu0 := cpuSeconds()
	started := time.Now()
	send := func(i int, due time.Time) {
		req, _ := http.NewRequest(http.MethodGet, urls[i%len(urls)], nil)
		req.Header = parsedHeaders.Clone()
		resp, err := client.Do(req)
		if err != nil { // counted as status 0, not retried
			latencies[i] = time.Since(due)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body) // read it all, so the connection is reused
		resp.Body.Close()
		latencies[i] = time.Since(due)
		statuses[i] = resp.StatusCode
	}
	// Open loop: a pacer hands out request numbers at their due times; closed loop: none.
	var due chan int
	if *rate > 0 {
		due = make(chan int, *total)
		go func() {
			for i := 0; i < *total; i++ {
				time.Sleep(time.Until(dueAt(started, i, *rate)))
				due <- i
			}
			close(due)
		}()
	}
	for w := 0; w < *conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if due != nil {
				for i := range due {
					send(i, dueAt(started, i, *rate))
				}
				return
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= *total {
					return
				}
				send(i, time.Now())
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(started).Seconds()
	cpu := cpuSeconds() - cpu0

	// The answered calls (2xx) apart: under shedding, the 503s are fast and would hide their latency.
	var answered []time.Duration
	for i, s := range statuses {
		if s >= 200 && s < 300 {
			answered = append(answered, latencies[i])
		}
	}
	sort.Slice(answered, func(a, b int) bool { return answered[a] < answered[b] })
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	counts := map[string]int{}
	for _, s := range statuses {
		counts[fmt.Sprint(s)]++
	}
	out := result{Requests: *total, Seconds: elapsed, RPS: float64(*total) / elapsed,
		P50: percentile(latencies, 0.50), P90: percentile(latencies, 0.90), P99: percentile(latencies, 0.99),
		Max: percentile(latencies, 1.0), OKP50: percentile(answered, 0.50), OKP99: percentile(answered, 0.99),
		Statuses: counts, ClientCPUs: cpu}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
