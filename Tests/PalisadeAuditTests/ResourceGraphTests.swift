import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeAudit

/// A credential handing out numbered tokens ("token-1", "token-2", …).
final class CountingCredential: TokenCredential, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var name: String { "test" }
    func fetchToken() async throws -> AccessToken {
        let n = lock.withLock { count += 1; return count }
        return AccessToken("token-\(n)", expiresOn: Date().addingTimeInterval(3600))
    }
}

/// Fast retries: waits scaled down so a `Retry-After: 1` costs 10 ms.
let fastRetry = RetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 60, timeScale: 0.01)

func auditor(_ server: FakeAzure, credential: any TokenCredential = CountingCredential(), perQuery: Int = 100) -> Auditor {
    Auditor(credential: credential, options: AuditOptions(endpoint: server.url, subscriptionsPerQuery: perQuery, concurrency: 4,
                                                          armReadsPerSecond: 0, retry: fastRetry))
}

@Suite struct ResourceGraphTests {
    @Test func pagesFollowSkipTokenWithIDKeptAndTop1000() async throws {
        let a = Recorded.subscriptionA
        let server = try FakeAzure { request in
            guard Recorded.isGraph(request) else { return Recorded.error(404, code: "NotFound", message: "no route") }
            guard Recorded.batch(of: request) == "network" else { return Recorded.page([], total: 0) }
            switch Recorded.skipToken(of: request) {
            case nil: return Recorded.page([Recorded.virtualNetwork(a, name: "hub", prefix: "10.0.0.0/16", subnets: [("default", "10.0.0.0/24")])],
                                           total: 3, skipToken: "cGFnZTI=")
            case "cGFnZTI="?: return Recorded.page([Recorded.networkSecurityGroup(a, name: "nsg-1")], total: 3, skipToken: "cGFnZTM=")
            default: return Recorded.page([Recorded.networkSecurityGroup(a, name: "nsg-2")], total: 3)
            }
        }
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(a)])
        #expect(result.failures.isEmpty)
        // Sorted by ID (case-insensitive): networkSecurityGroups before virtualNetworks.
        #expect(result.rows.map { ResourceID($0.id).name } == ["nsg-1", "nsg-2", "hub"])
        let network = server.requests.filter { Recorded.isGraph($0) && Recorded.batch(of: $0) == "network" }
        #expect(network.map { Recorded.skipToken(of: $0) } == [nil, "cGFnZTI=", "cGFnZTM="])
        for request in network {
            #expect(request.parameter("api-version") == "2024-04-01")
            #expect((request.json["options"] as? [String: Any])?["$top"] as? Int == 1000)
            #expect((request.json["query"] as? String)?.contains("| project id, ") == true)
            #expect(Recorded.subscriptions(of: request) == [a])
            #expect(request.headers["authorization"] == "Bearer token-1")
        }
        // All five queries ran: four `resources` batches and role assignments.
        #expect(Set(server.requests.map { Recorded.batch(of: $0) }) == ["network", "firewalls", "platform", "workloads", "roles"])
    }

    @Test func throttledPageIsWaitedOutAndRetried() async throws {
        let a = Recorded.subscriptionA
        let throttledOnce = Flag()
        let server = try FakeAzure { request in
            guard Recorded.batch(of: request) == "network" else { return Recorded.page([], total: 0) }
            if Recorded.skipToken(of: request) == "cGFnZTI=" {
                if throttledOnce.set() {
                    // Resource Graph's throttling answer: 429 with its quota headers.
                    return Recorded.error(429, code: "RateLimiting", message: "Please provide below info when asking for support",
                                          headers: ["x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:02", "Retry-After": "2"])
                }
                return Recorded.page([Recorded.networkSecurityGroup(a, name: "nsg-1")], total: 2)
            }
            return Recorded.page([Recorded.virtualNetwork(a, name: "hub", prefix: "10.0.0.0/16", subnets: [])], total: 2, skipToken: "cGFnZTI=")
        }
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(a)])
        #expect(result.failures.isEmpty)
        #expect(result.throttled == 1)
        #expect(result.rows.count == 2)
        #expect(server.requests.filter { Recorded.skipToken(of: $0) == "cGFnZTI=" }.count == 2)
    }

    @Test func persistentThrottlingIsAPartialFailureNamingTheSubscription() async throws {
        let a = Recorded.subscriptionA
        let server = try FakeAzure { request in
            Recorded.batch(of: request) == "workloads"
                ? Recorded.error(429, code: "RateLimiting", message: "throttled", headers: ["Retry-After": "1"])
                : Recorded.page([], total: 0)
        }
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(a)])
        #expect(result.failures.count == 1)
        #expect(result.failures.first?.scope == "subscription \(a)")
        #expect(result.failures.first?.message.contains("still throttled") == true)
        #expect(server.requests.filter { Recorded.batch(of: $0) == "workloads" }.count == fastRetry.maxAttempts)
    }

    @Test func expiredTokenIsRenewedOnce() async throws {
        let a = Recorded.subscriptionA
        let server = try FakeAzure { request in
            if request.headers["authorization"] == "Bearer token-1" {
                return Recorded.error(401, code: "ExpiredAuthenticationToken", message: "The access token expiry UTC time is earlier than current UTC time.")
            }
            return Recorded.batch(of: request) == "network"
                ? Recorded.page([Recorded.virtualNetwork(a, name: "hub", prefix: "10.0.0.0/16", subnets: [])], total: 1)
                : Recorded.page([], total: 0)
        }
        defer { server.stop() }
        let audit = auditor(server)
        let result = await audit.run([.subscription(a)])
        #expect(result.failures.isEmpty)
        #expect(result.rows.count == 1)
        #expect(await audit.tokens.fetchCount == 2)
    }

    @Test func revokedTokenFailsAfterOneRenewal() async throws {
        let server = try FakeAzure { _ in Recorded.error(401, code: "InvalidAuthenticationToken", message: "The access token is invalid.") }
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(Recorded.subscriptionA)])
        #expect(result.failures.count == 5)
        #expect(result.failures.allSatisfy { $0.message.contains("HTTP 401") && !$0.message.contains("token-") })
        #expect(server.requests.count <= 10)
    }

    @Test func forbiddenSubscriptionIsNamedAndTheRestIsRead() async throws {
        let a = Recorded.subscriptionA, b = Recorded.subscriptionB
        let server = try FakeAzure { request in
            let subscriptions = Recorded.subscriptions(of: request)
            if subscriptions.contains(b) {
                // Resource Graph's 403 names no subscription.
                return Recorded.error(403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action over scope.")
            }
            return Recorded.batch(of: request) == "network"
                ? Recorded.page([Recorded.virtualNetwork(a, name: "hub", prefix: "10.0.0.0/16", subnets: [])], total: 1)
                : Recorded.page([], total: 0)
        }
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(a), .subscription(b)])
        #expect(result.rows.count == 1)
        #expect(Set(result.failures.map(\.scope)) == ["subscription \(b)"])
        #expect(result.failures.count == 5)
        #expect(result.failures.allSatisfy { $0.message.contains("Reader role") })
        #expect(!result.isComplete)
    }

    @Test func malformedJSONFailsOneQueryAndTheOthersGoOn() async throws {
        let a = Recorded.subscriptionA
        let server = try FakeAzure { request in
            switch Recorded.batch(of: request) {
            case "firewalls": return FakeResponse(status: 200, json: "{\"totalRecords\": 3, \"data\": [{\"id\": ")
            case "network": return Recorded.page([Recorded.virtualNetwork(a, name: "hub", prefix: "10.0.0.0/16", subnets: [])], total: 1)
            default: return Recorded.page([], total: 0)
            }
        }
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(a)])
        #expect(result.rows.count == 1)
        #expect(result.failures.count == 1)
        #expect(result.failures.first?.step.contains("firewalls and private link") == true)
        #expect(result.failures.first?.message.contains("not a JSON object") == true)
    }

    @Test func truncatedWithoutSkipTokenIsReported() async throws {
        let server = try FakeAzure { request in
            Recorded.batch(of: request) == "roles"
                ? FakeResponse(status: 200, object: ["totalRecords": 5000, "count": 1000, "resultTruncated": true, "data": [Any]()])
                : Recorded.page([], total: 0)
        }
        defer { server.stop() }
        let result = await auditor(server).run([.managementGroup("ProductionMG")])
        #expect(result.failures.map(\.scope) == ["management group ProductionMG"])
        #expect(result.failures.first?.message.contains("resultTruncated") == true)
        #expect(server.requests.allSatisfy { ($0.json["managementGroups"] as? [String]) == ["ProductionMG"] })
    }

    @Test func childResourcesAreReadWithARMPagingAndMissingParentsSkipped() async throws {
        let a = Recorded.subscriptionA
        nonisolated(unsafe) let zone = Recorded.simple(a, provider: "Microsoft.Network", type: "privateDnsZones", name: "privatelink.blob.core.windows.net")
        nonisolated(unsafe) let policy = Recorded.simple(a, provider: "Microsoft.Network", type: "firewallPolicies", name: "fw-policy")
        nonisolated(unsafe) let endpoint = Recorded.simple(a, provider: "Microsoft.Network", type: "privateEndpoints", name: "pe-blob")
        let zoneID = zone["id"] as! String, endpointID = endpoint["id"] as! String
        let server = try FakeAzure { request in
            if Recorded.isGraph(request) {
                return Recorded.batch(of: request) == "firewalls" ? Recorded.page([zone, policy, endpoint], total: 3) : Recorded.page([], total: 0)
            }
            if request.path == zoneID + "/ALL" {
                #expect(request.parameter("api-version") == "2020-06-01")
                if request.parameter("$skipToken") == "next" {
                    return FakeResponse(status: 200, object: ["value": [[
                        "id": zoneID + "/CNAME/registry", "name": "registry", "type": "Microsoft.Network/privateDnsZones/CNAME", "etag": "1",
                        "properties": ["ttl": 3600, "fqdn": "registry.privatelink.blob.core.windows.net.", "cnameRecord": ["cname": "other.example"]]]]])
                }
                return FakeResponse(status: 200, object: [
                    "nextLink": "https://management.azure.com\(zoneID)/ALL?api-version=2020-06-01&$skipToken=next",
                    "value": [
                        ["id": zoneID + "/A/stg", "name": "stg", "type": "Microsoft.Network/privateDnsZones/A", "etag": "1",
                         "properties": ["ttl": 10, "fqdn": "stg.privatelink.blob.core.windows.net.", "aRecords": [["ipv4Address": "10.0.2.4"]]]],
                        ["id": zoneID + "/SOA/@", "name": "@", "type": "Microsoft.Network/privateDnsZones/SOA", "etag": "1",
                         "properties": ["ttl": 3600, "soaRecord": ["email": "azureprivatedns-host.microsoft.com"]]],
                    ]])
            }
            if request.path.hasSuffix("/ruleCollectionGroups") { return Recorded.error(404, code: "ResourceNotFound", message: "gone") }
            if request.path == endpointID + "/privateDnsZoneGroups" {
                return Recorded.error(403, code: "AuthorizationFailed", message: "no access")
            }
            return Recorded.error(404, code: "NotFound", message: "no route")
        }
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(a)])
        let names = result.rows.map { ResourceID($0.id).name }
        #expect(names.contains("stg") && names.contains("registry") && !names.contains("@"))
        #expect(result.failures.count == 1)
        #expect(result.failures.first?.scope == "subscription \(a)")
        #expect(result.failures.first?.step == "privateDnsZoneGroups of \(endpointID)")
        // nextLink is followed on the configured endpoint, never on the host it names.
        #expect(server.requests.contains { $0.path == zoneID + "/ALL" && $0.parameter("$skipToken") == "next" })
        let (graph, _) = SnapshotReader.graph(from: result.rows, file: "audit")
        let dns = try #require(graph.resource(ResourceID(zoneID), as: PrivateDnsZone.self))
        #expect(dns.recordSets.map(\.name).sorted() == ["registry", "stg"])
    }

    @Test func subscriptionLimitIsReportedForTheManagementGroup() async throws {
        let server = try FakeAzure { request in
            var page = Recorded.page([], total: 0)
            if Recorded.batch(of: request) == "network" { page.headers["x-ms-tenant-subscription-limit-hit"] = "true" }
            return page
        }
        defer { server.stop() }
        let result = await auditor(server).run([.managementGroup("Root")])
        #expect(result.failures.count == 1)
        #expect(result.failures.first?.message.contains("first 10,000") == true)
    }

    @Test func resultTruncatedAcceptsStringAndBoolean() throws {
        let url = URL(string: "https://management.azure.com/providers/Microsoft.ResourceGraph/resources")!
        let asString = try ResourceGraphClient.parsePage(Data(#"{"resultTruncated": "true", "data": []}"#.utf8), url: url, page: 1)
        let asBool = try ResourceGraphClient.parsePage(Data(#"{"resultTruncated": false, "data": [], "$skipToken": "x"}"#.utf8), url: url, page: 1)
        #expect(asString.truncated && asString.skipToken == nil)
        #expect(!asBool.truncated && asBool.skipToken == "x")
    }

    @Test func retryWaitsHonourHeaders() {
        let policy = RetryPolicy()
        #expect(policy.delay(after: HTTPResponse(status: 429, headers: ["Retry-After": "17"]), attempt: 1) == 17)
        #expect(policy.delay(after: HTTPResponse(status: 429, headers: ["x-ms-user-quota-resets-after": "00:00:03"]), attempt: 1) == 3)
        #expect(policy.delay(after: HTTPResponse(status: 429), attempt: 3) == 4)
        #expect(policy.delay(after: HTTPResponse(status: 429, headers: ["Retry-After": "3600"]), attempt: 1) == 60)
        #expect(RetryPolicy.duration("01:02:03") == 3723)
    }
}

/// A flag that is set once; `set()` tells whether this call set it.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() -> Bool { lock.withLock { defer { value = true }; return !value } }
}
