import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeAudit

func rows(_ objects: [[String: Any]]) -> [AuditRow] {
    objects.compactMap(AuditRow.init(object:)).sorted { $0.id.lowercased() < $1.id.lowercased() }
}

func result(_ objects: [[String: Any]], failures: [ScopeFailure] = []) -> AuditResult {
    AuditResult(queriedAt: Date(timeIntervalSince1970: 1_796_428_800), scopes: [.subscription(Recorded.subscriptionA)],
                rows: rows(objects), failures: failures, requests: 4, throttled: 0)
}

@Suite struct SnapshotTests {
    let a = Recorded.subscriptionA
    var estate: [[String: Any]] {
        [Recorded.virtualNetwork(a, name: "hub", prefix: "10.0.0.0/16", subnets: [("training", "10.0.1.0/24"), ("scoring", "10.0.2.0/24")], nsg: "nsg-open"),
         Recorded.networkSecurityGroup(a, name: "nsg-open", openSSH: true)]
    }

    @Test func snapshotRoundTripsThroughTheStreamingReaderAndTheExportImporter() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("estate.json")
        try Snapshot.save(result(estate), to: path)
        #expect(Snapshot.isSnapshot(path))
        let loaded = SnapshotReader.load(path)
        #expect(!loaded.diagnostics.hasErrors)
        #expect(loaded.header?.subscriptions == [a])
        #expect(loaded.header?.queriedAt == "2026-12-05T00:00:00Z")
        #expect(loaded.header?.complete == true)
        let vnet = try #require(loaded.graph.all(VirtualNetwork.self).first)
        #expect(vnet.addressSpace.map(\.description) == ["10.0.0.0/16"])
        #expect(loaded.graph.subnets(of: vnet.id).map(\.id.name).sorted() == ["scoring", "training"])
        // Findings point at the snapshot line of the resource.
        let nsg = try #require(loaded.graph.all(NetworkSecurityGroup.self).first)
        #expect(nsg.source?.file == path && nsg.source?.line == 4)
        // The same file is an ordinary resource export.
        let (graph, diagnostics) = ARMImporter.importFile(path)
        #expect(!diagnostics.hasErrors)
        #expect(graph.count == loaded.graph.count)
    }

    @Test func snapshotsAreDeterministicAndRefuseToOverwrite() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Snapshot.save(result(estate), to: directory.path("one.json"))
        try Snapshot.save(result(estate.reversed()), to: directory.path("two.json"))
        #expect(try Data(contentsOf: directory.url.appendingPathComponent("one.json")) == Data(contentsOf: directory.url.appendingPathComponent("two.json")))
        #expect(throws: AuditError.self) { try Snapshot.save(result(estate), to: directory.path("one.json")) }
        try Snapshot.save(result([]), to: directory.path("one.json"), replace: true)
        #expect(SnapshotReader.load(directory.path("one.json")).graph.count == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty)
    }

    @Test func secretsAreScrubbedBeforeAnythingIsKept() throws {
        var vm = Recorded.simple(a, provider: "Microsoft.Compute", type: "virtualMachines", name: "jump")
        vm["properties"] = ["osProfile": ["adminUsername": "azureuser", "adminPassword": "Hunter2!Hunter2!"]]
        let row = try #require(AuditRow(object: vm))
        let text = String(decoding: row.json, as: UTF8.self)
        #expect(!text.contains("Hunter2") && text.contains("[redacted]") && text.contains("azureuser"))
    }

    @Test func failuresAreKeptInTheHeader() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let failure = ScopeFailure(scope: "subscription \(Recorded.subscriptionB)", step: "Resource Graph query (network)", message: "HTTP 403")
        try Snapshot.save(result(estate, failures: [failure]), to: directory.path("partial.json"))
        let header = try #require(SnapshotReader.load(directory.path("partial.json")).header)
        #expect(!header.complete && header.failures == [failure])
    }

    @Test func malformedRowNamesItsLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("broken.json")
        try Snapshot.save(result(estate), to: path)
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        lines[3] = "{\"id\": \"/subscriptions/x\", \"type\": "
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = SnapshotReader.load(path)
        let error = try #require(loaded.diagnostics.errors.first)
        #expect(error.location?.line == 4)
        #expect(error.location?.path == "value[0]")
    }

    @Test func reformattedSnapshotStillReads() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("pretty.json")
        try Snapshot.save(result(estate), to: path)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
        let loaded = SnapshotReader.load(path)
        #expect(!loaded.diagnostics.hasErrors)
        #expect(loaded.header?.resourceCount == 2)
        #expect(loaded.graph.all(VirtualNetwork.self).count == 1)
    }
}

@Suite struct DriftTests {
    @Test func driftMatchesByNameAcrossSubscriptionsAndNamesChangedProperties() {
        let a = Recorded.subscriptionA, b = Recorded.subscriptionB
        let (design, _) = SnapshotReader.graph(from: rows([
            Recorded.virtualNetwork(a, rg: "rg-design", name: "hub", prefix: "10.0.0.0/16", subnets: [("training", "10.0.1.0/24")]),
            Recorded.networkSecurityGroup(a, rg: "rg-design", name: "nsg-training"),
        ]), file: "design")
        let (deployed, _) = SnapshotReader.graph(from: rows([
            Recorded.virtualNetwork(b, name: "hub", prefix: "10.9.0.0/16", subnets: [("training", "10.0.1.0/24")]),
            Recorded.simple(b, provider: "Microsoft.Network", type: "routeTables", name: "rt-extra"),
        ]), file: "deployed")
        let drift = ResourceDrift().compare(design: design, deployed: deployed)
        #expect(drift.lacking.map(\.name) == ["nsg-training"])
        #expect(drift.added.map(\.name) == ["rt-extra"])
        #expect(drift.changed.map(\.name) == ["hub"])
        #expect(drift.changed.first?.changes.map(\.property) == ["addressSpace"])
        #expect(drift.changed.first?.changes.first?.deployed.contains("10.9.0.0") == true)
        let text = drift.renderText(design: "design.yaml")
        #expect(text.contains("1 added, 1 lacking, 1 changed"))
        #expect(ResourceDrift().compare(design: design, deployed: design).isEmpty)
    }

    @Test func keyIgnoresSubscriptionAndResourceGroup() {
        let k = ResourceDrift.key(ResourceID("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/a"))
        #expect(k.type == "Microsoft.Network/virtualNetworks/subnets" && k.name == "hub/a")
    }
}
