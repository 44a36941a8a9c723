import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// A hand-built version of the isolated AML estate (hub firewall, compute spoke, workspace PE, Bastion),
/// checking the issue's acceptance bullets until the spec planner's built-in default exists.
@Suite("Isolated AML estate")
struct AMLEstateTests {
    static func estate(tags: ServiceTagCatalog = .symbolic) -> NetworkModel {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("aml", ["10.1.0.0/16"])
        e.peer(hub, spoke, forwardedIntoA: true, forwardedIntoB: true)
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        let bastionSubnet = e.subnet(hub, "AzureBastionSubnet", "10.0.1.0/26")
        let required = ["AzureActiveDirectory", "AzureMachineLearning", "AzureResourceManager", "BatchNodeManagement.eastus",
                        "Storage.eastus", "MicrosoftContainerRegistry", "AzureFrontDoor.FirstParty", "AzureMonitor"]
        let pol = e.policy("pol", [FirewallRuleCollectionGroup(name: "aml", priority: 200, ruleCollections: [
            FirewallRuleCollection(name: "required-tags", priority: 100, action: .allow, rules: [
                .network(NetworkRule(name: "tags-443", protocols: [.tcp], sourceAddresses: ["10.1.0.0/16"], destinationAddresses: required, destinationPorts: ["443"])),
                .network(NetworkRule(name: "aml-udp", protocols: [.udp], sourceAddresses: ["10.1.0.0/16"], destinationAddresses: ["AzureMachineLearning"], destinationPorts: ["5831"])),
            ]),
            FirewallRuleCollection(name: "required-fqdns", priority: 200, action: .allow, rules: [
                .application(ApplicationRule(name: "graph", protocols: [.https], sourceAddresses: ["10.1.0.0/16"], targetFqdns: ["graph.windows.net", "*.instances.azureml.ms"])),
            ]),
        ])])
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: pol, pip: e.pip("fw-pip", "20.0.0.10"))
        var bastion = BastionHost(id: e.id("Microsoft.Network", [("bastionHosts", "bastion")]))
        bastion.ipConfigurations = [IPConfiguration(name: "b", subnet: bastionSubnet, publicIPAddress: e.pip("bastion-pip", "20.0.0.20"))]
        e.graph.insert(bastion)
        let rt = e.routeTable("rt-compute", [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.0.4")])
        let nsg = e.nsg("nsg-compute", [])
        let compute = e.subnet(spoke, "compute", "10.1.0.0/24", nsg: nsg, routeTable: rt, defaultOutbound: false)
        let peSubnet = e.subnet(spoke, "pe", "10.1.1.0/24")
        let apiZone = e.zone("privatelink.api.azureml.ms", links: [(spoke, "Default"), (hub, "Default")])
        var ws = MachineLearningWorkspace(id: e.id("Microsoft.MachineLearningServices", [("workspaces", "mlw")]), location: "eastus")
        ws.publicNetworkAccess = .disabled
        e.graph.insert(ws)
        e.privateEndpoint("pe-mlw", subnet: peSubnet, target: ws.id, group: "amlworkspace", zones: [apiZone])
        var cluster = MachineLearningCompute(id: ws.id.child("computes", "cpu-cluster"), location: "eastus")
        cluster.subnet = compute
        e.graph.insert(cluster)
        e.nic("jumpbox", subnet: e.subnet(hub, "vms", "10.0.2.0/24"), ip: "10.0.2.4", pip: nil)
        return e.compile { $0.serviceTags = tags }
    }

    @Test func computeEgress() throws {
        let model = Self.estate()
        let source = try model.source(named: "cpu-cluster")
        #expect(model.trace(from: source, to: .name("login.microsoftonline.com"), port: 443).verdict == .allowed)
        #expect(model.trace(from: source, to: .serviceTag("AzureMachineLearning"), port: 443).verdict == .allowed)
        #expect(model.trace(from: source, to: .serviceTag("AzureMachineLearning"), port: 5831, protocol: .udp).verdict == .allowed)
        #expect(model.trace(from: source, to: .name("graph.windows.net"), port: 443).verdict == .allowed)
        #expect(model.trace(from: source, to: .address(ip("93.184.216.34")), port: 443).verdict == .denied)
        let pypi = model.trace(from: source, to: .name("pypi.org"), port: 443)
        #expect(pypi.verdict == .denied)
        #expect(pypi.hops.contains { $0.kind == "AzureFirewall" && $0.result == "Deny" })
    }

    @Test func computeEgressWithRealTags() throws {
        try #require(Fixtures.serviceTags.isLoaded)
        let model = Self.estate(tags: Fixtures.serviceTags)
        let source = try model.source(named: "compute")
        #expect(model.trace(from: source, to: .name("login.microsoftonline.com"), port: 443).verdict == .allowed)
        #expect(model.trace(from: source, to: .address(ip("20.42.0.241")), port: 443).verdict == .allowed)  // AzureMachineLearning
        #expect(model.trace(from: source, to: .address(ip("93.184.216.34")), port: 443).verdict == .denied)
    }

    @Test func internetReachesOnlyBastion() {
        let model = Self.estate()
        let reach = model.reach(from: .internet).sources[0]
        #expect(reach.rows == [ReachRow(addresses: "20.0.0.20", protocols: "Tcp", ports: "443", sourcePorts: "*")])
        #expect(model.trace(from: .internet, to: .address(ip("20.0.0.20")), port: 443).verdict == .allowed)
        #expect(model.trace(from: .internet, to: .address(ip("20.0.0.10")), port: 443).verdict == .denied)
    }

    @Test func workspaceResolvesToPrivateEndpoint() throws {
        let model = Self.estate()
        let destination = try model.destination(named: "mlw")
        guard case .name(let name) = destination else { Issue.record("expected a name"); return }
        let answer = model.resolve(name, from: .virtualNetwork(model.virtualNetworks.keys.first { $0.name == "aml" }!))
        let pe = model.endpoints.values.first { $0.kind == .privateEndpoint && $0.memberName == "default" }!
        #expect(answer.addresses == [.ip(pe.address)])
        let trace = model.trace(from: try model.source(named: "compute"), to: destination, port: 443)
        #expect(trace.verdict == .allowed)
        #expect(trace.assumptions.contains { $0.contains(".4 upward") })
    }

    @Test func reachReportIsDeterministicAndComplete() throws {
        let first = Self.estate().reach()
        let second = Self.estate().reach()
        #expect(first.text == second.text)
        #expect(try first.json() == second.json())
        let compute = first.sources.first { $0.source == "aml/compute" }!
        #expect(compute.fqdnGrants.map(\.pattern.text) == ["*.instances.azureml.ms", "graph.windows.net"])
        let pe = first.resources.first { $0.resource.hasPrefix("pe-mlw (default)") }!
        #expect(pe.sources.contains { $0.addresses == "aml/compute" && $0.ports == "*" })
        #expect(try first.json().contains("\"fqdnGrants\""))
    }

    @Test func queryParsing() throws {
        let model = Self.estate()
        #expect(try model.source(named: "internet") == .internet)
        #expect(try model.source(named: "aml/compute") == .subnet(model.subnetOrder.first { $0.name == "compute" }!))
        #expect(try model.source(named: "jumpbox") == .address(ip("10.0.2.4")))
        #expect(throws: NetworkQueryError.self) { try model.source(named: "nope") }
        #expect(try model.destination(named: "Storage") == .serviceTag("Storage"))
        #expect(try model.destination(named: "pypi.org") == .name("pypi.org"))
        let trace = try model.trace(from: "compute", to: "10.0.2.4", port: 22)
        #expect(!trace.text.isEmpty)
    }
}

extension AMLEstateTests {
    @Test func destinationParsingRecognisesTags() throws {
        let model = Self.estate()
        #expect(try model.destination(named: "Storage.WestUS") == .serviceTag("Storage.WestUS"))
        #expect(try model.destination(named: "files.pythonhosted.org") == .name("files.pythonhosted.org"))
        #expect(try model.destination(named: "jumpbox") == .address(ip("10.0.2.4")))
        #expect(throws: NetworkQueryError.self) { try model.destination(named: "nothing-here") }
    }
}
