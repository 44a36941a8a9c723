import Foundation
import PalisadeModel

/// Settings of one audit.
public struct AuditOptions: Sendable {
    /// The ARM endpoint serving both Resource Graph and ARM reads.
    public var endpoint: URL
    /// Subscriptions per Resource Graph request; a 403 splits the group until the forbidden subscription is named.
    public var subscriptionsPerQuery: Int
    /// Concurrent ARM reads of child resources.
    public var concurrency: Int
    /// ARM reads started per second and subscription at most (0: unlimited). ARM refills a subscription's read bucket at 25 a second
    /// (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling#subscription-and-tenant-limits),
    /// so the default stays below it.
    public var armReadsPerSecond: Double
    /// Retries of throttled and transient failures.
    public var retry: RetryPolicy

    /// The public Azure endpoint.
    public static let publicCloud = URL(string: "https://management.azure.com")!

    /// Creates options.
    public init(endpoint: URL = publicCloud, subscriptionsPerQuery: Int = 100, concurrency: Int = 8, armReadsPerSecond: Double = 20,
                retry: RetryPolicy = RetryPolicy()) {
        self.endpoint = endpoint
        self.subscriptionsPerQuery = max(1, subscriptionsPerQuery)
        self.concurrency = max(1, concurrency)
        self.armReadsPerSecond = armReadsPerSecond
        self.retry = retry
    }
}

/// What an audit read: every row (unique by ID, sorted), and what could not be read.
public struct AuditResult: Sendable {
    /// When the reading started.
    public var queriedAt: Date
    /// The scopes asked for.
    public var scopes: [AuditScope]
    /// Resources, sorted by lower-cased ID.
    public var rows: [AuditRow]
    /// Parts that could not be read, sorted.
    public var failures: [ScopeFailure]
    /// Requests sent (retries included).
    public var requests: Int
    /// Throttled answers (HTTP 429) that were waited out or gave up on.
    public var throttled: Int
    /// What was read but may not mean what the model makes of it (a network manager configuration deployed in some
    /// regions only), sorted.
    public var notes: [String] = []

    /// Whether everything was read.
    public var isComplete: Bool { failures.isEmpty }
}

/// Reads a live estate: Resource Graph for the resource types the model uses, then ARM for the child resources
/// Resource Graph lacks. A scope that fails is recorded and the rest goes on.
public struct Auditor: Sendable {
    /// Settings.
    public var options: AuditOptions
    let requester: AzureRequester

    /// Creates an auditor.
    public init(credential: any TokenCredential, transport: any HTTPTransport = URLSessionTransport(), options: AuditOptions = AuditOptions()) {
        self.options = options
        self.requester = AzureRequester(transport: transport, tokens: TokenProvider(credential), retry: options.retry)
    }

    /// The token provider (tests check how often it fetched).
    public var tokens: TokenProvider { requester.tokens }

    /// Reads every scope.
    public func run(_ scopes: [AuditScope]) async -> AuditResult {
        let started = Date()
        let collector = RowCollector()
        let scopes = Array(Set(scopes)).sorted()
        do {
            _ = try await requester.tokens.token()
        } catch {
            await collector.fail(scopes.map { ScopeFailure(scope: $0.description, step: "authentication", message: "\(error)") })
            return await collector.result(started: started, scopes: scopes, statistics: requester.statistics)
        }
        let graph = ResourceGraphClient(endpoint: options.endpoint, requester: requester)
        var groups: [[AuditScope]] = []
        let subscriptions = scopes.filter { if case .subscription = $0 { true } else { false } }
        for start in stride(from: 0, to: subscriptions.count, by: options.subscriptionsPerQuery) {
            groups.append(Array(subscriptions[start..<min(subscriptions.count, start + options.subscriptionsPerQuery)]))
        }
        for scope in scopes { if case .managementGroup = scope { groups.append([scope]) } }
        // The few queries run side by side; each pages sequentially, as $skipToken requires.
        await withTaskGroup(of: Void.self) { group in
            for query in ResourceGraphQuery.all {
                for scopeGroup in groups {
                    group.addTask { await Self.run(query, scopes: scopeGroup, client: graph, collector: collector) }
                }
            }
        }
        await readChildren(collector: collector)
        await readDeployments(collector: collector)
        return await collector.result(started: started, scopes: scopes, statistics: requester.statistics)
    }

    /// Runs one query; on 403/404 over several subscriptions, splits them to find and name the ones that fail.
    static func run(_ query: ResourceGraphQuery, scopes: [AuditScope], client: ResourceGraphClient, collector: RowCollector) async {
        do {
            try await client.query(query.text, scopes: scopes) { rows in await collector.add(rows) }
        } catch let error as AuditError {
            if case .http(let status, _, _, _) = error, status == 403 || status == 404 || status == 400, scopes.count > 1 {
                let half = scopes.count / 2
                await run(query, scopes: Array(scopes[..<half]), client: client, collector: collector)
                await run(query, scopes: Array(scopes[half...]), client: client, collector: collector)
                return
            }
            var message = error.description
            if case .http(403, _, _, _) = error {
                message += "; the signed-in identity needs the Reader role on this scope"
            }
            await collector.fail(scopes.map { ScopeFailure(scope: $0.description, step: "Resource Graph query (\(query.label))", message: message) })
        } catch {
            await collector.fail(scopes.map { ScopeFailure(scope: $0.description, step: "Resource Graph query (\(query.label))", message: Redactor.redact("\(error)")) })
        }
    }

    /// Reads the child resources of every parent found, a bounded number at a time and within the read rate, level by
    /// level: children that are parents themselves (a configuration's rule collections) are read once found.
    func readChildren(collector: RowCollector) async {
        let reader = ARMReader(endpoint: options.endpoint, requester: requester)
        let limiter = RateLimiter(perSecond: options.armReadsPerSecond * options.retry.timeScale <= 0 ? 0 : options.armReadsPerSecond,
                                  timeScale: options.retry.timeScale)
        let parentTypes = Set(ChildResourceRead.all.map(\.parentType))
        var started = Set<String>()
        // Each level's parents are deeper than the last one's, so this ends after as many rounds as the deepest read.
        while true {
            let parents = await collector.rows(ofTypes: parentTypes)
            var jobs: [(ChildResourceRead, String)] = []
            for read in ChildResourceRead.all {
                for row in parents where row.type == read.parentType && started.insert(read.path + "|" + row.id.lowercased()).inserted {
                    jobs.append((read, row.id))
                }
            }
            guard !jobs.isEmpty else { return }
            await readChildren(jobs, reader: reader, limiter: limiter, collector: collector)
        }
    }

    /// Asks every network manager read which of its configurations are deployed in the regions of the virtual
    /// networks read, and drops those deployed nowhere (see `NetworkManagerDeployment`); then replaces the security
    /// admin rules and connectivity configurations as defined by those committed (`ActiveSecurityAdminRules`,
    /// `ActiveConnectivityConfigurations`). A list that cannot be read leaves the definitions in place and is
    /// reported as a failure.
    func readDeployments(collector: RowCollector) async {
        let managers = await collector.rows(ofTypes: ["microsoft.network/networkmanagers"])
        guard !managers.isEmpty else { return }
        let regions = Set(await collector.rows(ofTypes: ["microsoft.network/virtualnetworks"]).compactMap(AuditRegion.location)).sorted()
        guard !regions.isEmpty else { return }
        let configurations = await collector.rows(ofTypes: NetworkManagerDeployment.configurationTypes)
        let reader = ARMReader(endpoint: options.endpoint, requester: requester)
        for manager in managers {
            let own = configurations.filter { $0.id.lowercased().hasPrefix(manager.id.lowercased() + "/") }.map(\.id)
            do {
                let statuses = try await NetworkManagerDeployment.read(manager: manager.id, regions: regions, reader: reader)
                let decision = NetworkManagerDeployment.decide(configurations: own, statuses: statuses, regions: regions)
                await collector.remove(decision.dropped)
                await collector.note(decision.notes)
            } catch {
                await collector.fail([Self.failure(error, step: "deployment status of \(manager.id)", manager: manager.id,
                                                   action: "listDeploymentStatus")])
            }
            // The committed security admin rules replace the defined ones: a rule edited since its last commit is
            // enforced as committed.
            do {
                let active = try await ActiveSecurityAdminRules.read(manager: manager.id, regions: regions, reader: reader)
                let committed = ActiveSecurityAdminRules.rows(active)
                let prefix = manager.id.lowercased() + "/securityadminconfigurations/"
                let defined = await collector.rows(ofTypes: [ActiveSecurityAdminRules.ruleType.lowercased()])
                    .filter { $0.id.lowercased().hasPrefix(prefix) }
                await collector.note(ActiveSecurityAdminRules.changes(defined: defined, committed: committed))
                let configurations = await collector.rows(ofTypes: [ActiveSecurityAdminRules.configurationType.lowercased()])
                    .filter { $0.id.lowercased().hasPrefix(prefix) }
                await collector.remove(configurations.map(\.id))
                await collector.add(committed)
            } catch {
                await collector.fail([Self.failure(error, step: "active security admin rules of \(manager.id)", manager: manager.id,
                                                   action: "listActiveSecurityAdminRules")])
            }
            do {
                let active = try await ActiveConnectivityConfigurations.read(manager: manager.id, regions: regions, reader: reader)
                let committed = ActiveConnectivityConfigurations.rows(active)
                let prefix = manager.id.lowercased() + "/connectivityconfigurations/"
                let defined = await collector.rows(ofTypes: [ActiveConnectivityConfigurations.configurationType.lowercased()])
                    .filter { $0.id.lowercased().hasPrefix(prefix) }
                await collector.note(ActiveConnectivityConfigurations.changes(defined: defined, committed: committed))
                await collector.remove(defined.map(\.id))
                await collector.add(committed)
            } catch {
                await collector.fail([Self.failure(error, step: "active connectivity configurations of \(manager.id)", manager: manager.id,
                                                   action: "listActiveConnectivityConfigurations")])
            }
        }
    }

    /// A failed network manager list action, with what a 403 means for it.
    static func failure(_ error: any Error, step: String, manager: String, action: String) -> ScopeFailure {
        let subscription = ResourceID(manager).subscriptionID.map { "subscription \($0)" } ?? "tenant"
        var message = Redactor.redact("\(error)")
        if case AuditError.http(403, _, _, _)? = error as? AuditError {
            message += "; this network manager list is a POST action (Microsoft.Network/networkManagers/\(action)/action) "
                + "that the Reader role does not grant; the configurations are read as defined, as if deployed"
        }
        return ScopeFailure(scope: subscription, step: step, message: message)
    }

    /// Runs one level of child reads, `options.concurrency` at a time.
    func readChildren(_ jobs: [(ChildResourceRead, String)], reader: ARMReader, limiter: RateLimiter, collector: RowCollector) async {
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func start() {
                guard next < jobs.count else { return }
                let (read, parent) = jobs[next]
                next += 1
                group.addTask {
                    await limiter.acquire(ResourceID(parent).subscriptionID ?? "")
                    do {
                        switch try await reader.list(parentID: parent, path: read.path, apiVersion: read.apiVersion) {
                        case .missing: break
                        case .found(let rows):
                            await collector.add(read.keep.isEmpty ? rows : rows.filter { read.keep.contains($0.type) })
                        }
                    } catch {
                        let subscription = ResourceID(parent).subscriptionID.map { "subscription \($0)" } ?? "tenant"
                        var message = Redactor.redact("\(error)")
                        if case AuditError.http(403, _, _, _)? = error as? AuditError {
                            message += "; the signed-in identity needs the Reader role on this scope"
                        }
                        await collector.fail([ScopeFailure(scope: subscription, step: "\(read.path) of \(parent)", message: message)])
                    }
                }
            }
            for _ in 0..<options.concurrency { start() }
            while await group.next() != nil { start() }
        }
    }
}

/// Gathers rows from concurrent readers, one per resource ID.
actor RowCollector {
    private var rows: [String: AuditRow] = [:]
    private var failures: [ScopeFailure] = []
    private var notes: [String] = []

    func add(_ new: [AuditRow]) {
        for row in new { rows[row.id.lowercased()] = row }
    }

    func fail(_ new: [ScopeFailure]) { failures += new }

    func note(_ new: [String]) { notes += new }

    /// Drops the rows with these IDs and every row below them (`{id}/…`).
    func remove(_ ids: [String]) {
        let prefixes = ids.map { $0.lowercased() }
        rows = rows.filter { key, _ in !prefixes.contains { key == $0 || key.hasPrefix($0 + "/") } }
    }

    func rows(ofTypes types: Set<String>) -> [AuditRow] {
        rows.values.filter { types.contains($0.type) }.sorted { $0.id.lowercased() < $1.id.lowercased() }
    }

    func result(started: Date, scopes: [AuditScope], statistics: RequestStatistics) async -> AuditResult {
        let sorted = rows.sorted { $0.key < $1.key }.map(\.value)
        let unique = Array(Set(failures)).sorted { ($0.scope, $0.step, $0.message) < ($1.scope, $1.step, $1.message) }
        var result = AuditResult(queriedAt: started, scopes: scopes, rows: sorted, failures: unique,
                                 requests: await statistics.requests, throttled: await statistics.throttled)
        result.notes = Array(Set(notes)).sorted()
        return result
    }
}

/// Spaces request starts evenly: at most `perSecond` a second per subscription (ARM's read limits are per
/// subscription and principal).
actor RateLimiter {
    private let interval: Double
    private let timeScale: Double
    private var next: [String: Date] = [:]

    init(perSecond: Double, timeScale: Double) {
        interval = perSecond > 0 ? 1 / perSecond : 0
        self.timeScale = timeScale
    }

    func acquire(_ subscription: String) async {
        guard interval > 0 else { return }
        let now = Date()
        let slot = max(now, next[subscription.lowercased()] ?? .distantPast)
        next[subscription.lowercased()] = slot.addingTimeInterval(interval * timeScale)
        let wait = slot.timeIntervalSince(now)
        if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
    }
}
