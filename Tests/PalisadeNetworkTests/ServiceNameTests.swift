import Foundation
import PalisadeModel
import PalisadeSpec
import Testing
@testable import PalisadeNetwork

/// Names of Azure Monitor (AMPLS), Azure AI services / OpenAI and AML compute instances and online endpoints
/// (azure-network-semantics.md D11, D13; aml-network-catalog.md Z-06, Z-07, F-04…F-06), and the regional
/// service tags that serve well-known names (B-OUT-04/06/08/12).
@Suite("Service names: AMPLS, OpenAI, compute instances, regional tags")
struct ServiceNameTests {
    // MARK: Estates

    /// The package root (examples/ lives there; fixtures are read from /work/shared via `Fixtures`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built-in default (what `palisade trace` uses with no INPUT), compiled with `tags`.
    static func defaultModel(tags: ServiceTagCatalog = .symbolic) throws -> NetworkModel {
        let design = try #require(EnvironmentDesigner.design(Spec()).design)
        var options = NetworkOptions()
        options.serviceTags = tags
        return NetworkModel.compile(design.graph, options: options)
    }

    /// A spec file from examples/, compiled with symbolic tags.
    static func example(_ name: String) throws -> NetworkModel {
        let design = try #require(SpecLoader().design(file: root.appendingPathComponent("examples/\(name)").path).design)
        return NetworkModel.compile(design.graph, options: NetworkOptions())
    }

    static func addresses(_ model: NetworkModel, _ name: String, from vnet: ResourceID) -> [Address] {
        model.resolve(name, from: .virtualNetwork(vnet)).addresses
    }

    // MARK: Azure Monitor Private Link Scope (Z-06)

    /// The documented AMPLS layout: a scope with one Log Analytics workspace and one Application Insights
    /// component, a private endpoint (`azuremonitor`) with the five zones of Z-06 in its zone group, all linked.
    static func monitorEstate(privateEndpoint: Bool = true) -> (NetworkModel, linked: ResourceID, other: ResourceID) {
        var e = Estate()
        e.location = "westeurope"
        let linked = e.vnet("linked", ["10.0.0.0/16"])
        let other = e.vnet("other", ["10.1.0.0/16"])
        let peSubnet = e.subnet(linked, "pe", "10.0.1.0/24")
        var logs = LogAnalyticsWorkspace(id: e.id("Microsoft.OperationalInsights", [("workspaces", "log")]), location: "westeurope")
        logs.tags["workspaceId"] = "11111111-2222-3333-4444-555555555555"
        e.graph.insert(logs)
        let insights = ApplicationInsights(id: e.id("Microsoft.Insights", [("components", "appi")]), location: "westeurope")
        e.graph.insert(insights)
        var scope = MonitorPrivateLinkScope(id: e.id("Microsoft.Insights", [("privateLinkScopes", "ampls")]))
        scope.scopedResources = [logs.id, insights.id]
        e.graph.insert(scope)
        let zones = PrivateLinkCatalog.monitorZones.map { e.zone($0, links: [(linked, "Default")]) }
        if privateEndpoint {
            e.privateEndpoint("pe-ampls", subnet: peSubnet, target: scope.id, group: "azuremonitor", ip: "10.0.1.9", zones: zones)
        }
        return (e.compile(), linked, other)
    }

    /// Global endpoints of `privatelink.monitor.azure.com` and per-workspace oms/ods/agentsvc entries
    /// (azure-monitor docs, logs/private-link-configure.md "Review your endpoint's DNS settings").
    static let monitorNames = [
        "api.monitor.azure.com", "global.in.ai.monitor.azure.com", "westeurope.in.ai.monitor.azure.com", "live.monitor.azure.com",
        "profiler.monitor.azure.com", "snapshot.monitor.azure.com", "diagservices-query.monitor.azure.com",
        "11111111-2222-3333-4444-555555555555.oms.opinsights.azure.com",
        "11111111-2222-3333-4444-555555555555.ods.opinsights.azure.com",
        "11111111-2222-3333-4444-555555555555.agentsvc.azure-automation.net",
    ]

    @Test func amplsNamesResolveToThePrivateEndpointFromALinkedVNet() {
        let (model, linked, _) = Self.monitorEstate()
        for name in Self.monitorNames {
            let answer = model.resolve(name, from: .virtualNetwork(linked))
            #expect(answer.addresses == [.ip(ip("10.0.1.9"))], "\(name): \(answer.detail)")
            #expect(answer.chain.first?.contains(".privatelink.") == true, "\(name): D5 CNAME into privatelink")
        }
        // The per-workspace records sit in their own zones (Z-06), named by the workspace ID.
        let ods = model.resolve(Self.monitorNames[8], from: .virtualNetwork(linked))
        #expect(ods.chain == ["11111111-2222-3333-4444-555555555555.privatelink.ods.opinsights.azure.com"])
        // A name the scope does not serve has no record in the authoritative zone (D4).
        let foreign = model.resolve("99999999-0000-0000-0000-000000000000.ods.opinsights.azure.com", from: .virtualNetwork(linked))
        #expect(foreign.addresses != [.ip(ip("10.0.1.9"))])
    }

    @Test func amplsNamesArePublicOutsideTheLinkedVNetAndWithoutAnEndpoint() {
        let (model, _, other) = Self.monitorEstate()
        let outside = model.resolve("api.monitor.azure.com", from: .virtualNetwork(other))
        #expect(outside.addresses == [.atom(.tag("AzureMonitor"))])  // B-OUT-09: the global AzureMonitor tag
        #expect(outside.chain == ["api.privatelink.monitor.azure.com"])
        let (plain, linked, _) = Self.monitorEstate(privateEndpoint: false)
        let noEndpoint = plain.resolve("api.monitor.azure.com", from: .virtualNetwork(linked))
        #expect(noEndpoint.chain.isEmpty)
        #expect(noEndpoint.addresses == [.atom(.tag("AzureMonitor"))])
    }

    @Test func defaultComputeReachesAzureMonitorThroughTheScope() throws {
        for tags in [ServiceTagCatalog.symbolic, Fixtures.serviceTags] {
            let model = try Self.defaultModel(tags: tags)
            let compute = try model.source(named: "compute")
            let logs = try #require(model.graph.all(LogAnalyticsWorkspace.self).first)
            let ingestion = "\(ServiceNames.logAnalyticsGUID(logs)).ods.opinsights.azure.com"
            for name in ["api.monitor.azure.com", "global.in.ai.monitor.azure.com", ingestion] {
                let trace = model.trace(from: compute, to: .name(name), port: 443)
                #expect(trace.verdict == .allowed, "\(name): \(trace.text)")
                #expect(trace.hops.last?.kind == "PrivateEndpoint" && trace.hops.last?.resource.hasPrefix("pe-ampls-") == true,
                        "\(name): \(trace.text)")
            }
        }
    }

    @Test func managedPrivateEndpointRuleToAScopeCoversItsWorkspaces() {
        // MVN lists "Application Insights via AMPLS" as a managed private endpoint target.
        var e = Estate()
        e.location = "westeurope"
        var logs = LogAnalyticsWorkspace(id: e.id("Microsoft.OperationalInsights", [("workspaces", "log")]), location: "westeurope")
        logs.tags["workspaceId"] = "11111111-2222-3333-4444-555555555555"
        e.graph.insert(logs)
        var scope = MonitorPrivateLinkScope(id: e.id("Microsoft.Insights", [("privateLinkScopes", "ampls")]))
        scope.scopedResources = [logs.id]
        e.graph.insert(scope)
        var ws = MachineLearningWorkspace(id: e.id("Microsoft.MachineLearningServices", [("workspaces", "ws")]), location: "westeurope")
        ws.managedNetwork = ManagedNetworkSettings(isolationMode: .allowOnlyApprovedOutbound, outboundRules: [
            .privateEndpoint("monitor", target: scope.id, subresource: "azuremonitor"),
        ])
        ws.managedNetwork.provisioned = true
        e.graph.insert(ws)
        let model = e.compile()
        let ods = model.trace(from: .managedNetwork(ws.id), to: .name("11111111-2222-3333-4444-555555555555.ods.opinsights.azure.com"), port: 443)
        #expect(ods.verdict == .allowed && ods.hops.last?.rule == "PrivateEndpoint log", "\(ods.text)")
        let api = model.trace(from: .managedNetwork(ws.id), to: .name("api.monitor.azure.com"), port: 443)
        #expect(api.hops.last?.rule == "PrivateEndpoint ampls", "\(api.text)")
    }

    // MARK: Azure AI services / OpenAI (Z-07)

    @Test func openAIAccountNamesResolveToTheAccountEndpoint() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let peSubnet = e.subnet(vnet, "pe", "10.0.1.0/24")
        var account = CognitiveServicesAccount(id: e.id("Microsoft.CognitiveServices", [("accounts", "oai-res")]), location: "eastus")
        account.customSubDomainName = "oai-sub"
        e.graph.insert(account)
        let zones = ["privatelink.openai.azure.com", "privatelink.cognitiveservices.azure.com"].map { e.zone($0, links: [(vnet, "Default")]) }
        e.privateEndpoint("pe-oai", subnet: peSubnet, target: account.id, group: "account", ip: "10.0.1.20", zones: zones)
        let model = e.compile()
        // The custom subdomain names the account (PEDNS: required for private endpoints).
        for name in ["oai-sub.openai.azure.com", "oai-sub.cognitiveservices.azure.com"] {
            let answer = model.resolve(name, from: .virtualNetwork(vnet))
            #expect(answer.addresses == [.ip(ip("10.0.1.20"))], "\(name): \(answer.detail)")
        }
        #expect(model.resolve("oai-sub.openai.azure.com", from: .virtualNetwork(vnet)).chain == ["oai-sub.privatelink.openai.azure.com"])
        #expect(model.resolve("oai-sub.openai.azure.com", from: .internet).publicEndpointOf == account.id)
        #expect(ServiceNames.primaryName(.cognitiveServicesAccount(account), graph: model.graph) == "oai-sub.openai.azure.com")
        #expect(model.hostsFile.map(\.name) == ["oai-sub.cognitiveservices.azure.com", "oai-sub.openai.azure.com"])  // D8
    }

    @Test func managedComputeReachesOpenAIThroughItsPrivateEndpointRule() throws {
        let model = try Self.example("managed-vnet-approved.yaml")
        let account = try #require(model.graph.all(CognitiveServicesAccount.self).first)
        let name = try #require(ServiceNames.primaryName(account.asResource, graph: model.graph))
        #expect(name == "\(account.name.lowercased()).openai.azure.com")
        let compute = try model.source(named: "compute")
        let trace = model.trace(from: compute, to: .name(name), port: 443)
        #expect(trace.verdict == .allowed, "\(trace.text)")
        #expect(trace.hops.last?.rule == "PrivateEndpoint \(account.name)")
        // Another account is not an approved outbound destination (M9).
        #expect(model.trace(from: compute, to: .name("someone-else.openai.azure.com"), port: 443).verdict == .denied)
        // From the customer VNet the same name answers with the account's private endpoint (Z-07).
        let vnet = try #require(model.virtualNetworks.keys.first)
        let answer = model.resolve(name, from: .virtualNetwork(vnet))
        let endpoint = try #require(model.endpoints.values.first { $0.target == account.id })
        #expect(answer.addresses == [.ip(endpoint.address)], "\(answer.detail)")
    }

    // MARK: Compute instances and online endpoints (F-04…F-06)

    /// aml-network-catalog.md §2.3, the custom-DNS example of how-to-custom-dns.md: workspace
    /// fb7e20a0-8891-458b-b969-55ddb3382f51 `myworkspace` in eastus, PE IPs 10.1.0.5 (API, cert, compute
    /// instance), 10.1.0.6 (notebooks) and 10.1.0.7 (`*.eastus.inference.ml.azure.com`).
    static func documentedWorkspace() -> (NetworkModel, linked: ResourceID, other: ResourceID) {
        var e = Estate()
        let linked = e.vnet("linked", ["10.1.0.0/16"])
        let other = e.vnet("other", ["10.2.0.0/16"])
        let peSubnet = e.subnet(linked, "pe", "10.1.0.0/24")
        var ws = MachineLearningWorkspace(id: e.id("Microsoft.MachineLearningServices", [("workspaces", "myworkspace")]), location: "eastus")
        ws.tags["workspaceId"] = "fb7e20a0-8891-458b-b969-55ddb3382f51"
        e.graph.insert(ws)
        var instance = MachineLearningCompute(id: ws.id.child("computes", "mycomputeinstance"), location: "eastus")
        instance.computeType = "ComputeInstance"
        e.graph.insert(instance)
        let zones = ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"].map { e.zone($0, links: [(linked, "Default")]) }
        var pe = PrivateEndpoint(id: e.id("Microsoft.Network", [("privateEndpoints", "pe-ws")]), location: "eastus")
        pe.subnet = peSubnet
        pe.target = ws.id
        pe.groupIDs = ["amlworkspace"]
        pe.ipConfigurations = [("default", "10.1.0.5"), ("notebook", "10.1.0.6"), ("inference", "10.1.0.7")].map {
            PrivateEndpointIPConfiguration(name: $0.0, groupID: "amlworkspace", memberName: $0.0, privateIPAddress: ip($0.1))
        }
        pe.privateDnsZoneGroup = PrivateDnsZoneGroup(zones: zones)
        e.graph.insert(pe)
        return (e.compile(), linked, other)
    }

    @Test func documentedWorkspaceNamesIncludingComputeInstanceAndInference() {
        let (model, linked, _) = Self.documentedWorkspace()
        let guid = "fb7e20a0-8891-458b-b969-55ddb3382f51"
        let expected: [(String, String)] = [
            ("\(guid).workspace.eastus.api.azureml.ms", "10.1.0.5"),
            ("\(guid).workspace.eastus.cert.api.azureml.ms", "10.1.0.5"),
            ("ml-myworkspace-eastus-\(guid).eastus.notebooks.azure.net", "10.1.0.6"),
            ("myendpoint.eastus.inference.ml.azure.com", "10.1.0.7"),  // F-06, any endpoint label
            ("mycomputeinstance.eastus.instances.ml.azure.ms", "10.1.0.5"),  // F-04, 2026 domain
            ("mycomputeinstance.eastus.instances.azureml.ms", "10.1.0.5"),  // F-04, older domain (G-01)
            ("mycomputeinstance-22.eastus.instances.azureml.ms", "10.1.0.5"),  // F-05, SSH
        ]
        for (name, address) in expected {
            let answer = model.resolve(name, from: .virtualNetwork(linked))
            #expect(answer.addresses == [.ip(ip(address))], "\(name): \(answer.detail)")
        }
        // F-06: the endpoint name CNAMEs into the workspace's wildcard record.
        #expect(model.resolve("myendpoint.eastus.inference.ml.azure.com", from: .virtualNetwork(linked)).chain
            == ["myendpoint.\(guid).inference.eastus.privatelink.api.azureml.ms"])
        #expect(model.dns.publicName(for: "other-ep.eastus.inference.ml.azure.com")?.privateLinkName
            == "other-ep.\(guid).inference.eastus.privatelink.api.azureml.ms")
        // A compute instance that does not exist gets no private answer; the hosts file lists the real one (D8).
        #expect(model.resolve("nosuchci.eastus.instances.azureml.ms", from: .virtualNetwork(linked)).addresses
            == [.atom(.tag("AzureMachineLearning"))])
        #expect(model.hostsFile.contains { $0.name == "mycomputeinstance.eastus.instances.ml.azure.ms" && $0.address == ip("10.1.0.5") })
    }

    @Test func computeInstanceAndInferenceNamesArePublicOutsideTheLinkedVNet() {
        let (model, _, other) = Self.documentedWorkspace()
        for name in ["mycomputeinstance.eastus.instances.azureml.ms", "myendpoint.eastus.inference.ml.azure.com"] {
            let answer = model.resolve(name, from: .virtualNetwork(other))
            #expect(answer.addresses == [.atom(.tag("AzureMachineLearning"))], "\(name): \(answer.detail)")
            #expect(answer.publicEndpointOf?.name == "myworkspace")
        }
    }

    @Test func specComputeInstanceTracesToTheWorkspaceEndpoint() throws {
        let yaml = """
        version: 1
        name: test
        location: westeurope
        compute:
          instance:
            name: ci-alice
        """
        let design = try #require(SpecLoader().design(yaml: yaml, file: "ci.yaml").design)
        let model = NetworkModel.compile(design.graph, options: NetworkOptions())
        let source = try model.source(named: "cpu-cluster")
        let instance = try #require(model.graph.all(MachineLearningCompute.self).first { $0.isInstance })
        #expect(ServiceNames.primaryName(instance.asResource, graph: model.graph) == "ci-alice.westeurope.instances.azureml.ms")
        for name in ["ci-alice.westeurope.instances.azureml.ms", "ci-alice.westeurope.instances.ml.azure.ms"] {
            let trace = model.trace(from: source, to: .name(name), port: 443)
            #expect(trace.verdict == .allowed, "\(trace.text)")
            #expect(trace.hops.last?.kind == "PrivateEndpoint" && trace.hops.last?.resource == "pe-mlw-test (default)", "\(trace.text)")
        }
    }

    // MARK: Regional service tags for well-known names (B-OUT-04/06/08/12)

    /// A westeurope VNet whose firewall allows only the regional MCR tag, as the default does.
    static func regionalEstate(tags: ServiceTagCatalog = .symbolic, rules: [String] = ["MicrosoftContainerRegistry.WestEurope"]) -> (NetworkModel, ResourceID) {
        var e = Estate()
        e.location = "westeurope"
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let fwSubnet = e.subnet(vnet, "AzureFirewallSubnet", "10.0.0.0/26")
        let pol = e.policy("pol", [FirewallRuleCollectionGroup(name: "g", priority: 100, ruleCollections: [
            FirewallRuleCollection(name: "tags", priority: 100, action: .allow, rules: [
                .network(NetworkRule(name: "regional", protocols: [.tcp], sourceAddresses: ["10.0.1.0/24"],
                                     destinationAddresses: rules, destinationPorts: ["443"])),
            ]),
        ])])
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: pol, pip: e.pip("fw-pip", "20.0.0.10"))
        let rt = e.routeTable("rt", [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.0.4")])
        e.subnet(vnet, "compute", "10.0.1.0/24", routeTable: rt, defaultOutbound: false)
        return (e.compile { $0.serviceTags = tags }, vnet)
    }

    @Test func mcrResolvesToTheSourceRegionsTagWhenItExists() throws {
        let (symbolic, vnet) = Self.regionalEstate()
        #expect(Self.addresses(symbolic, "mcr.microsoft.com", from: vnet) == [.atom(.tag("MicrosoftContainerRegistry.WestEurope"))])
        #expect(symbolic.trace(from: .address(ip("10.0.1.4")), to: .name("mcr.microsoft.com"), port: 443).verdict == .allowed)
        // The Internet has no source region: the global tag, as before.
        #expect(symbolic.resolve("mcr.microsoft.com", from: .internet).addresses == [.atom(.tag("MicrosoftContainerRegistry"))])
        let (loaded, vnet2) = Self.regionalEstate(tags: Fixtures.serviceTags)
        let answer = loaded.resolve("mcr.microsoft.com", from: .virtualNetwork(vnet2))
        let address = try #require(answer.addresses.first)
        #expect(loaded.tags.resolve("MicrosoftContainerRegistry.WestEurope").contains(address), "\(answer.detail)")
        #expect(loaded.tags.resolve("MicrosoftContainerRegistry").contains(address))  // N19: regional ⊂ global
        #expect(answer.assumptions.contains { $0.contains("MicrosoftContainerRegistry.WestEurope") })
        #expect(loaded.trace(from: .address(ip("10.0.1.4")), to: .name("mcr.microsoft.com"), port: 443).verdict == .allowed)
    }

    @Test func symbolicRegionalTagIsUsedOnlyWhenTheModelNamesIt() {
        // Nothing names MicrosoftContainerRegistry.WestEurope: the regional atom would sit outside the global tag's
        // atoms, so the global tag answers.
        let (model, vnet) = Self.regionalEstate(rules: ["AzureResourceManager"])
        #expect(Self.addresses(model, "mcr.microsoft.com", from: vnet) == [.atom(.tag("MicrosoftContainerRegistry"))])
        // AzureMachineLearning is not regional (T4), even when a regional tag is loaded.
        let (loaded, vnet2) = Self.regionalEstate(tags: Fixtures.serviceTags)
        let aml = loaded.resolve("westeurope.api.azureml.ms", from: .virtualNetwork(vnet2))
        #expect(aml.assumptions.contains("westeurope.api.azureml.ms is served from service tag AzureMachineLearning"))
    }

    @Test func unmodelledStorageAndBatchNamesUseTheRegionalTag() {
        let (loaded, vnet) = Self.regionalEstate(tags: Fixtures.serviceTags)
        let blob = loaded.resolve("otheracct.blob.core.windows.net", from: .virtualNetwork(vnet))
        let address = blob.addresses.first
        #expect(address.map { loaded.tags.resolve("Storage.WestEurope").contains($0) } == true, "\(blob.detail)")
        #expect(blob.assumptions.contains { $0.contains("Storage.WestEurope") && $0.contains("westeurope") })
        // A region label in the name wins over the client's region (PIP-FQDN-06 `*.<region>.batch.azure.com`).
        let batch = loaded.resolve("pool.eastus.batch.azure.com", from: .virtualNetwork(vnet))
        #expect(batch.addresses.first.map { loaded.tags.resolve("BatchNodeManagement.EastUS").contains($0) } == true, "\(batch.detail)")
    }

    /// AML required destinations (aml-network-catalog.md §1.2–1.5, 1.12–1.14, 2.2) that the built-in default
    /// allows, wildcards instantiated with a sample label, region westeurope.
    static let requiredDestinations: [(id: String, name: String, proto: IPProtocol, port: Int)] = [
        ("ENTRA-02", "login.microsoftonline.com", .tcp, 443),
        ("B-OUT-01", "login.microsoftonline.com", .tcp, 80),
        ("PIP-FQDN-03", "graph.windows.net", .tcp, 443),
        ("ARM-01", "management.azure.com", .tcp, 443),
        ("IMG-03", "mcr.microsoft.com", .tcp, 443),
        ("IMG-03", "westeurope.data.mcr.microsoft.com", .tcp, 443),
        ("HOST-01", "ml.azure.com", .tcp, 443),
        ("AUTO-03", "automlresources-prod-d0eaehh7g8andvav.b02.azurefd.net", .tcp, 443),
        ("PIP-FQDN-01", "westeurope.tundra.azureml.ms", .udp, 5831),
        ("PIP-FQDN-02", "ci1.tundra.westeurope.api.azureml.ms", .udp, 5831),
        ("PIP-FQDN-04", "ci1.westeurope.instances.azureml.ms", .tcp, 443),
        ("PIP-FQDN-04", "ci1.westeurope.instances.azureml.ms", .tcp, 8787),
        ("PIP-FQDN-04", "ci1.westeurope.instances.azureml.ms", .tcp, 18881),
        ("PIP-FQDN-05", "ci1.westeurope.instances.azureml.net", .tcp, 443),
        ("PIP-FQDN-06", "pool1.westeurope.batch.azure.com", .tcp, 443),
        ("PIP-FQDN-06", "pool1.westeurope.batch.azure.com", .udp, 443),
        ("PIP-FQDN-06", "pool1.westeurope.service.batch.azure.com", .tcp, 443),
        ("PIP-FQDN-10", "batchvault.vault.azure.net", .tcp, 443),
        ("K8S-OUT-04", "westeurope.api.azureml.ms", .tcp, 443),
    ]

    @Test(arguments: [false, true])
    func defaultAllowsEveryRequiredDestinationName(realTags: Bool) throws {
        if realTags { #expect(Fixtures.serviceTags.isLoaded, "the fixture \(Fixtures.serviceTagsPath) did not load") }
        let model = try Self.defaultModel(tags: realTags ? Fixtures.serviceTags : .symbolic)
        let compute = try model.source(named: "compute")
        for row in Self.requiredDestinations {
            let trace = model.trace(from: compute, to: .name(row.name), port: row.port, protocol: row.proto)
            #expect(trace.verdict == .allowed, "\(row.id) \(row.name) \(row.proto)/\(row.port): \(trace.text)")
        }
        // The workspace's own names (F-01…F-03) and its private dependencies go through private endpoints.
        for resource in model.graph.resources {
            guard let name = ServiceNames.primaryName(resource, graph: model.graph) else { continue }
            let trace = model.trace(from: compute, to: .name(name), port: 443)
            #expect(trace.verdict == .allowed && trace.hops.last?.kind == "PrivateEndpoint", "\(name): \(trace.text)")
        }
        // The declared package sources pass the firewall; a host nobody declared stays denied.
        #expect(model.trace(from: compute, to: .name("pypi.org"), port: 443).verdict == .allowed)
        #expect(model.trace(from: compute, to: .name("example.org"), port: 443).verdict == .denied)
    }
}
