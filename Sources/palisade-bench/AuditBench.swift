import Foundation
import PalisadeARM
import PalisadeAudit
import PalisadeModel
import PalisadeNetwork
import PalisadeRules

/// The audit at scale: a synthetic estate of N virtual networks (20 resources each, in Resource Graph's row shape)
/// is read through the real Resource Graph and ARM clients from an in-memory endpoint (1,000-row pages,
/// `$skipToken`, one ARM read per private endpoint), saved as a snapshot, then read back and checked as
/// `palisade check snapshot.json` does. Each size runs in its own process so peak memory is its own.
enum AuditBench {
    /// Resources per virtual network: the network, 4 NSGs (5 rules), 4 route tables (2 routes), 4 NICs, 4 VMs,
    /// a public IP, a private endpoint and a storage account.
    static let resourcesPerNetwork = 20

    static func run(vnets: Int, keep: String?, check: Bool) {
        let transport = SyntheticResourceGraph(vnets: vnets)
        let subscriptions = Set((0..<vnets).map { SyntheticResourceGraph.subscription($0) }).sorted()
        let auditor = Auditor(credential: StaticCredential(),
                              transport: transport,
                              options: AuditOptions(endpoint: URL(string: "https://management.azure.com")!, concurrency: 8,
                                                    armReadsPerSecond: 0, retry: RetryPolicy(timeScale: 0)))
        var result: AuditResult?
        let readTime = seconds {
            let semaphore = DispatchSemaphore(value: 0)
            let box = Box()
            Task.detached {
                box.result = await auditor.run(subscriptions.map(AuditScope.subscription))
                semaphore.signal()
            }
            semaphore.wait()
            result = box.result
        }
        guard let result, result.isComplete else {
            print("audit failed: \(result?.failures.first.map(String.init(describing:)) ?? "no result")")
            exit(3)
        }
        let path = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("palisade-bench-\(vnets)-\(UUID().uuidString).json").path
        let saveTime = seconds { try? Snapshot.save(result, to: path, replace: true) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let rowCount = result.rows.count
        let requests = result.requests
        var loaded: SnapshotReader.Loaded?
        let cpuAtLoad = cpuSeconds()
        let loadTime = seconds { loaded = SnapshotReader.load(path) }
        let loadCPU = cpuSeconds() - cpuAtLoad
        let readLine = String(format: "audit %6d vnets %7d rows %6d requests  read %7.2f s  save %6.2f s (%4.0f MiB)  load %7.2f s  read+save+load %7.2f s  peak %6.0f MiB  graph %d  errors %d",
                              vnets, rowCount, requests, readTime, saveTime, Double(size) / 1_048_576, loadTime,
                              readTime + saveTime + loadTime, peakMemoryMiB(), loaded!.graph.count, loaded!.diagnostics.errors.count)
        print(readLine + String(format: "  (load %.2f s CPU, %.2f s CPU so far)", loadCPU, cpuSeconds()))
        fflush(nil)
        if keep == nil { try? FileManager.default.removeItem(atPath: path) }
        guard check else { return }
        var findings: [Finding] = []
        // CPU time too: on a shared machine the wall clock also counts other processes' turns.
        let cpuBefore = cpuSeconds()
        let checkTime = seconds { findings = Checker.run(loaded!.graph) }
        print(String(format: "       check %7.2f s (%.2f s CPU)  findings %d  peak %6.0f MiB", checkTime, cpuSeconds() - cpuBefore, findings.count, peakMemoryMiB()))
        fflush(nil)
        // `--rules`: where the check's time goes: compiling the network model, then each rule on its own (slowest first).
        guard CommandLine.arguments.contains("--rules") else { return }
        var network: NetworkModel?
        let compileCPU = cpuSeconds()
        let compileTime = seconds { network = NetworkModel.compile(loaded!.graph) }
        print(String(format: "       compile the network model %7.2f s (%.2f s CPU)", compileTime, cpuSeconds() - compileCPU))
        var perRule: [(String, Double)] = []
        for rule in RuleCatalog.all {
            perRule.append((rule.description.id, seconds { _ = Checker.run(loaded!.graph, rules: [rule], network: network) }))
        }
        for (id, time) in perRule.sorted(by: { $0.1 > $1.1 }).prefix(12) {
            print("       " + id.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: " %7.2f s", time))
        }
    }

    final class Box: @unchecked Sendable { var result: AuditResult? }
}

/// A credential that needs no network.
struct StaticCredential: TokenCredential {
    var name: String { "benchmark" }
    func fetchToken() async throws -> AccessToken { AccessToken("benchmark-token", expiresOn: nil) }
}

/// An in-memory Resource Graph and ARM endpoint serving a synthetic estate page by page, rows generated on demand.
struct SyntheticResourceGraph: HTTPTransport {
    let vnets: Int

    static func subscription(_ vnet: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", vnet / 1000) }
    static func group(_ vnet: Int) -> String { "/subscriptions/\(subscription(vnet))/resourceGroups/rg-\(vnet / 100)" }

    /// Rows of one query batch for one virtual network.
    func rows(batch: String, vnet i: Int) -> [String] {
        let g = Self.group(i), sub = Self.subscription(i), rg = "rg-\(i / 100)"
        let net = g + "/providers/Microsoft.Network"
        let second = (i / 250) % 250, third = i % 250
        func common(_ id: String, _ name: String, _ type: String) -> String {
            "\"id\":\"\(id)\",\"name\":\"\(name)\",\"type\":\"\(type)\",\"kind\":\"\",\"location\":\"westeurope\",\"resourceGroup\":\"\(rg)\",\"subscriptionId\":\"\(sub)\",\"tags\":{},\"sku\":null,\"identity\":null,\"zones\":null"
        }
        switch batch {
        case "network":
            var out: [String] = []
            let vnetID = "\(net)/virtualNetworks/vnet-\(i)"
            let subnets = (0..<4).map { s in
                "{\"name\":\"snet-\(s)\",\"id\":\"\(vnetID)/subnets/snet-\(s)\",\"properties\":{\"addressPrefix\":\"10.\(second).\(third).\(s * 64)/26\",\"networkSecurityGroup\":{\"id\":\"\(net)/networkSecurityGroups/nsg-\(i)-\(s)\"},\"routeTable\":{\"id\":\"\(net)/routeTables/rt-\(i)-\(s)\"},\"privateEndpointNetworkPolicies\":\"Enabled\"}}"
            }.joined(separator: ",")
            out.append("{\(common(vnetID, "vnet-\(i)", "microsoft.network/virtualnetworks")),\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.\(second).\(third).0/24\"]},\"subnets\":[\(subnets)],\"virtualNetworkPeerings\":[]}}")
            for s in 0..<4 {
                let rules = (0..<5).map { r in
                    "{\"name\":\"rule-\(r)\",\"properties\":{\"priority\":\(100 + r * 10),\"direction\":\"Inbound\",\"access\":\"Allow\",\"protocol\":\"Tcp\",\"sourceAddressPrefix\":\"VirtualNetwork\",\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"VirtualNetwork\",\"destinationPortRange\":\"\(8000 + r)\"}}"
                }.joined(separator: ",")
                out.append("{\(common("\(net)/networkSecurityGroups/nsg-\(i)-\(s)", "nsg-\(i)-\(s)", "microsoft.network/networksecuritygroups")),\"properties\":{\"securityRules\":[\(rules)]}}")
                out.append("{\(common("\(net)/routeTables/rt-\(i)-\(s)", "rt-\(i)-\(s)", "microsoft.network/routetables")),\"properties\":{\"disableBgpRoutePropagation\":true,\"routes\":[{\"name\":\"default\",\"properties\":{\"addressPrefix\":\"0.0.0.0/0\",\"nextHopType\":\"VirtualAppliance\",\"nextHopIpAddress\":\"10.255.0.4\"}},{\"name\":\"onprem\",\"properties\":{\"addressPrefix\":\"192.168.0.0/16\",\"nextHopType\":\"VirtualNetworkGateway\"}}]}}")
                out.append("{\(common("\(net)/networkInterfaces/nic-\(i)-\(s)", "nic-\(i)-\(s)", "microsoft.network/networkinterfaces")),\"properties\":{\"ipConfigurations\":[{\"name\":\"ipconfig1\",\"properties\":{\"privateIPAddress\":\"10.\(second).\(third).\(s * 64 + 4)\",\"privateIPAllocationMethod\":\"Dynamic\",\"subnet\":{\"id\":\"\(vnetID)/subnets/snet-\(s)\"}}}],\"enableIPForwarding\":false}}")
            }
            out.append("{\(common("\(net)/publicIPAddresses/pip-\(i)", "pip-\(i)", "microsoft.network/publicipaddresses")),\"properties\":{\"publicIPAllocationMethod\":\"Static\",\"ipAddress\":\"20.\(second).\(third).1\"}}")
            return out
        case "firewalls":
            return ["{\(common("\(net)/privateEndpoints/pe-\(i)", "pe-\(i)", "microsoft.network/privateendpoints")),\"properties\":{\"subnet\":{\"id\":\"\(net)/virtualNetworks/vnet-\(i)/subnets/snet-3\"},\"privateLinkServiceConnections\":[{\"name\":\"blob\",\"properties\":{\"privateLinkServiceId\":\"\(g)/providers/Microsoft.Storage/storageAccounts/st\(i)\",\"groupIds\":[\"blob\"]}}]}}"]
        case "workloads":
            var out = (0..<4).map { s in
                "{\(common("\(g)/providers/Microsoft.Compute/virtualMachines/vm-\(i)-\(s)", "vm-\(i)-\(s)", "microsoft.compute/virtualmachines")),\"properties\":{\"hardwareProfile\":{\"vmSize\":\"Standard_D2s_v5\"},\"networkProfile\":{\"networkInterfaces\":[{\"id\":\"\(net)/networkInterfaces/nic-\(i)-\(s)\"}]},\"osProfile\":{\"computerName\":\"vm\(i)\(s)\",\"adminUsername\":\"azureuser\"}}}"
            }
            out.append("{\(common("\(g)/providers/Microsoft.Storage/storageAccounts/st\(i)", "st\(i)", "microsoft.storage/storageaccounts")),\"properties\":{\"publicNetworkAccess\":\"Disabled\",\"allowBlobPublicAccess\":false,\"minimumTlsVersion\":\"TLS1_2\",\"supportsHttpsTrafficOnly\":true,\"networkAcls\":{\"defaultAction\":\"Deny\",\"bypass\":\"AzureServices\",\"ipRules\":[],\"virtualNetworkRules\":[]}}}")
            return out
        default:
            return []
        }
    }

    /// Rows per virtual network in a batch (constant, so pages can be cut without generating everything).
    func perNetwork(_ batch: String) -> Int { ["network": 14, "firewalls": 1, "workloads": 5][batch] ?? 0 }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.method == "GET" {
            // ARM: the private endpoint's DNS zone group list (empty; these endpoints use custom DNS).
            return HTTPResponse(status: 200, body: Data("{\"value\":[]}".utf8))
        }
        let body = (try? JSONSerialization.jsonObject(with: request.body ?? Data())) as? [String: Any] ?? [:]
        let query = body["query"] as? String ?? ""
        let batch = query.contains("virtualnetworks") ? "network" : query.contains("azurefirewalls") ? "firewalls"
            : query.contains("virtualmachines") ? "workloads" : "roles"
        let per = perNetwork(batch)
        let total = per * vnets
        let start = Int((body["options"] as? [String: Any])?["$skipToken"] as? String ?? "0") ?? 0
        var page: [String] = []
        if per > 0 {
            var vnet = start / per
            while page.count < 1000 && vnet < vnets {
                page += rows(batch: batch, vnet: vnet)
                vnet += 1
            }
            // Pages end on a network boundary here; the client never relies on page sizes.
            let next = vnet * per
            var text = "{\"totalRecords\":\(total),\"count\":\(page.count),\"resultTruncated\":\"false\",\"facets\":[],"
            if next < total { text += "\"$skipToken\":\"\(next)\"," }
            text += "\"data\":[" + page.joined(separator: ",") + "]}"
            return HTTPResponse(status: 200, headers: ["x-ms-user-quota-remaining": "14", "x-ms-user-quota-resets-after": "00:00:05"], body: Data(text.utf8))
        }
        return HTTPResponse(status: 200, body: Data("{\"totalRecords\":0,\"count\":0,\"resultTruncated\":\"false\",\"data\":[]}".utf8))
    }
}
