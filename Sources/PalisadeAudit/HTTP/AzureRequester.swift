import Foundation

/// How many times and how long to retry throttled (429) and transient (5xx, no answer) requests.
public struct RetryPolicy: Sendable {
    /// Attempts per request, the first included.
    public var maxAttempts: Int
    /// First backoff delay in seconds when the server names none; doubles each attempt.
    public var baseDelay: Double
    /// The longest single wait, in seconds.
    public var maxDelay: Double
    /// Multiplies every wait (tests use a small factor so `Retry-After: 2` does not cost two seconds).
    public var timeScale: Double

    /// Creates a policy: by default 6 attempts, 1 s doubling up to 60 s.
    public init(maxAttempts: Int = 6, baseDelay: Double = 1, maxDelay: Double = 60, timeScale: Double = 1) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeScale = timeScale
    }

    /// Seconds to wait after a throttled answer: ARM's `Retry-After` (seconds) first, then Resource Graph's
    /// `x-ms-user-quota-resets-after` (hh:mm:ss), else exponential backoff.
    /// https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling#error-code
    /// https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests#understand-throttling-headers
    public func delay(after response: HTTPResponse?, attempt: Int) -> Double {
        let backoff = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        guard let response else { return backoff }
        if let retryAfter = response.header("retry-after").flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
            return min(maxDelay, max(0, retryAfter))
        }
        if let resets = response.header("x-ms-user-quota-resets-after").flatMap(Self.duration) {
            return min(maxDelay, max(0, resets))
        }
        return backoff
    }

    /// Parses `hh:mm:ss` (optionally with fractional seconds) into seconds.
    public static func duration(_ text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let s = Double(parts[2]) else { return nil }
        return h * 3600 + m * 60 + s
    }
}

/// Sends authenticated requests to Azure Resource Manager: adds the bearer token, renews it once on 401,
/// retries 429 and transient failures within the policy, and never lets the token into an error.
public struct AzureRequester: Sendable {
    /// The transport.
    public var transport: any HTTPTransport
    /// The token source.
    public var tokens: TokenProvider
    /// The retry policy.
    public var retry: RetryPolicy
    /// Counts throttled answers (reported in the audit summary).
    let statistics: RequestStatistics

    /// Creates a requester.
    public init(transport: any HTTPTransport, tokens: TokenProvider, retry: RetryPolicy = RetryPolicy()) {
        self.transport = transport
        self.tokens = tokens
        self.retry = retry
        self.statistics = RequestStatistics()
    }

    /// Sends a request; returns the final answer (2xx, or an error status that retrying cannot fix).
    public func send(method: String, url: URL, body: Data? = nil) async throws -> HTTPResponse {
        var (token, generation) = try await tokens.token()
        var renewed = false
        var attempt = 0
        while true {
            attempt += 1
            var headers = ["Authorization": token.authorization, "Accept": "application/json"]
            if body != nil { headers["Content-Type"] = "application/json" }
            let request = HTTPRequest(method: method, url: url, headers: headers, body: body)
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch {
                guard attempt < retry.maxAttempts else { throw error }
                await statistics.count(retry: true)
                try await sleep(retry.delay(after: nil, attempt: attempt))
                continue
            }
            await statistics.count(retry: false)
            switch response.status {
            case 401 where !renewed:
                // An expired or revoked token: renew once; a second 401 is a real authentication failure.
                renewed = true
                (token, generation) = try await tokens.renew(after: generation)
                attempt -= 1
                continue
            case 429, 500, 502, 503, 504:
                if response.status == 429 { await statistics.countThrottled() }
                guard attempt < retry.maxAttempts else {
                    if response.status == 429 { throw AuditError.throttled(url: url.redactedForDisplay, attempts: attempt) }
                    return response
                }
                try await sleep(retry.delay(after: response, attempt: attempt))
                continue
            default:
                // Resource Graph tells how many queries remain in the window; when none remain, wait for the reset
                // instead of spending a request on a 429.
                if let remaining = response.header("x-ms-user-quota-remaining").flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
                   remaining <= 0, let resets = response.header("x-ms-user-quota-resets-after").flatMap(RetryPolicy.duration) {
                    try await sleep(min(retry.maxDelay, resets))
                }
                return response
            }
        }
    }

    private func sleep(_ seconds: Double) async throws {
        let scaled = seconds * retry.timeScale
        guard scaled > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(scaled * 1_000_000_000))
    }
}

/// Request counters for the audit summary.
actor RequestStatistics {
    private(set) var requests = 0
    private(set) var throttled = 0
    private(set) var transientRetries = 0

    func count(retry: Bool) { if retry { transientRetries += 1 } else { requests += 1 } }
    func countThrottled() { throttled += 1 }
}
