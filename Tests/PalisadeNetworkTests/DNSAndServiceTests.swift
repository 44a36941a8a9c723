import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// Private DNS (D-rules), PaaS public endpoints and the AML managed network (M-rules).
@Suite("DNS, PaaS endpoints, managed network")
struct DNSAndServiceTests {
    @Test func d2UnlinkedVNetResolvesPublicly() {
        var e = Estate()
        let linked = e.vnet("linked", ["10.0.0.0/16"])
        let other = e.vnet("other", ["10.1.0.0/16"])
        let peSubnet = e.subnet(linked, "pe", "10.0.1.0/24")
        let zone = e.zone("privatelink.blob.core.windows.net", links: [(linked, "Default")])
        e.privateEndpoint("pe", subnet: peSubnet, target: e.storage("acct"), group: "blob", ip: "10.0.1.5", zones: [zone])
        let model = e.compile()
        #expect(model.resolve("acct.blob.core.windows.net", from: .virtualNetwork(linked)).addresses == [.ip(ip("10.0.1.5"))])
        let outside = model.resolve("acct.blob.core.windows.net", from: .virtualNetwork(other))
        #expect(outside.publicEndpointOf?.name == "acct")
        #expect(outside.chain == ["acct.privatelink.blob.core.windows.net"])  // D5 CNAME still visible
    }

    /// VNets in one resolver class get the same addresses and NXDOMAIN for every name; VNets that differ in zone
    /// links, link fallback, DNS server or region are in different classes.
    @Test func resolverClassesAnswerAlike() {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let linkedA = e.vnet("linked-a", ["10.1.0.0/16"])
        let linkedB = e.vnet("linked-b", ["10.2.0.0/16"])
        let redirect = e.vnet("redirect", ["10.3.0.0/16"])
        let plainA = e.vnet("plain-a", ["10.4.0.0/16"])
        let plainB = e.vnet("plain-b", ["10.5.0.0/16"])
        let custom = e.vnet("custom", ["10.6.0.0/16"], dns: ["10.0.0.4"])
        e.location = "westeurope"
        let elsewhere = e.vnet("elsewhere", ["10.7.0.0/16"])
        e.location = "eastus"
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: e.policy("pol", [], dnsProxy: true))
        let peSubnet = e.subnet(hub, "pe", "10.0.1.0/24")
        let zone = e.zone("privatelink.blob.core.windows.net", links: [(hub, "Default"), (linkedA, "Default"), (linkedB, "Default"), (redirect, "NxDomainRedirect")])
        e.privateEndpoint("pe", subnet: peSubnet, target: e.storage("acct"), group: "blob", ip: "10.0.1.5", zones: [zone])
        e.storage("other")
        let model = e.compile()
        let vnets = [hub, linkedA, linkedB, redirect, plainA, plainB, custom, elsewhere]
        let classes = model.resolverClasses(vnets)
        // The hub and both linked spokes have the same link; the unlinked VNets share a class unless their region differs.
        #expect(classes[0] == classes[1] && classes[1] == classes[2] && classes[4] == classes[5])
        #expect(Set(classes).count == 5 && classes[7] != classes[4])
        for name in ["acct.blob.core.windows.net", "other.blob.core.windows.net", "missing.blob.core.windows.net", "login.microsoftonline.com", "example.org"] {
            for (i, a) in vnets.enumerated() {
                for (j, b) in vnets.enumerated() where classes[i] == classes[j] {
                    let x = model.resolve(name, from: .virtualNetwork(a)), y = model.resolve(name, from: .virtualNetwork(b))
                    #expect(x.addresses == y.addresses && x.nxdomain == y.nxdomain, "\(name) from \(a.name) and \(b.name)")
                }
            }
        }
        // The classes are not all one: a linked and an unlinked VNet answer differently.
        #expect(model.resolve("acct.blob.core.windows.net", from: .virtualNetwork(linkedA)).addresses
            != model.resolve("acct.blob.core.windows.net", from: .virtualNetwork(plainA)).addresses)
    }

    @Test func d5ResourceWithoutPrivateEndpointHasNoCNAME() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        e.zone("privatelink.blob.core.windows.net", links: [(vnet, "Default")])
        e.storage("plain")
        let answer = e.compile().resolve("plain.blob.core.windows.net", from: .virtualNetwork(vnet))
        #expect(answer.chain.isEmpty && !answer.nxdomain)
        #expect(answer.publicEndpointOf?.name == "plain")
    }

    @Test func d1CustomDNSThroughFirewallProxy() {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.1.0.0/16"], dns: ["10.0.0.4"])
        e.peer(hub, spoke)
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: e.policy("pol", [], dnsProxy: true))
        let peSubnet = e.subnet(hub, "pe", "10.0.1.0/24")
        let zone = e.zone("privatelink.vaultcore.azure.net", links: [(hub, "Default")])
        var kv = KeyVault(id: e.id("Microsoft.KeyVault", [("vaults", "kv1")]), location: "eastus")
        kv.publicNetworkAccess = .disabled
        e.graph.insert(kv)
        e.privateEndpoint("pe-kv", subnet: peSubnet, target: kv.id, group: "vault", ip: "10.0.1.7", zones: [zone])
        let model = e.compile()
        let answer = model.resolve("kv1.vault.azure.net", from: .virtualNetwork(spoke))
        #expect(answer.addresses == [.ip(ip("10.0.1.7"))])
        #expect(answer.detail.contains("DNS proxy"))
    }

    @Test func d12RegistryDataEndpointAndD13Notebooks() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let peSubnet = e.subnet(vnet, "pe", "10.0.1.0/24")
        let acrZone = e.zone("privatelink.azurecr.io", links: [(vnet, "Default")])
        let registry = ContainerRegistry(id: e.id("Microsoft.ContainerRegistry", [("registries", "reg")]), location: "westeurope")
        e.graph.insert(registry)
        e.privateEndpoint("pe-acr", subnet: peSubnet, target: registry.id, group: "registry", zones: [acrZone])
        let model = e.compile()
        let rest = model.resolve("reg.azurecr.io", from: .virtualNetwork(vnet))
        let data = model.resolve("reg.westeurope.data.azurecr.io", from: .virtualNetwork(vnet))
        #expect(rest.addresses == [.ip(ip("10.0.1.4"))])  // .4 upward, D12 two IP configurations
        #expect(data.addresses == [.ip(ip("10.0.1.5"))])
        #expect(model.hostsFile.map(\.name) == ["reg.azurecr.io", "reg.westeurope.data.azurecr.io"])  // D8
    }

    @Test func paasStorageNetworkRulesAndServiceEndpoints() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let allowed = e.subnet(vnet, "allowed", "10.0.1.0/24", serviceEndpoints: ["Microsoft.Storage"])
        e.subnet(vnet, "other", "10.0.2.0/24")
        let account = e.storage("data", defaultAction: .deny)
        e.graph.update(account, as: StorageAccount.self) { $0.networkACLs.virtualNetworkRules = [allowed] }
        let model = e.compile()
        let viaSE = model.trace(from: .address(ip("10.0.1.4")), to: .name("data.blob.core.windows.net"), port: 443)
        #expect(viaSE.verdict == .allowed, "\(viaSE.text)")
        #expect(viaSE.hops.contains { $0.kind == "ServiceEndpoint" })
        let viaInternet = model.trace(from: .address(ip("10.0.2.4")), to: .name("data.blob.core.windows.net"), port: 443)
        #expect(viaInternet.verdict == .denied)
        #expect(viaInternet.reason.contains("default action Deny"))
        // Someone else's storage: the network delivers; its own rules are unknown.
        let foreign = model.trace(from: .address(ip("10.0.2.4")), to: .name("thirdparty.blob.core.windows.net"), port: 443)
        #expect(foreign.verdict == .allowed)
    }

    @Test func serviceEndpointPolicyRestrictsAccounts() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        var policy = ServiceEndpointPolicy(id: e.id("Microsoft.Network", [("serviceEndpointPolicies", "sep")]))
        policy.definitions = [ServiceEndpointPolicyDefinition(name: "d", serviceResources: [e.id("Microsoft.Storage", [("storageAccounts", "mine")]).rawValue])]
        e.graph.insert(policy)
        let s = e.subnet(vnet, "s", "10.0.1.0/24", serviceEndpoints: ["Microsoft.Storage"])
        e.graph.update(s, as: Subnet.self) { $0.serviceEndpointPolicies = [policy.id] }
        e.storage("mine")
        e.storage("theirs")
        let model = e.compile()
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .name("mine.blob.core.windows.net"), port: 443).verdict == .allowed)
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .name("theirs.blob.core.windows.net"), port: 443).verdict == .denied)
        // An account outside the model is someone else's storage: denied over the service endpoint, and `reach`
        // keeps no storage address reachable over it (SEP-02…SEP-07).
        let outside = model.trace(from: .address(ip("10.0.1.4")), to: .serviceTag("Storage.EastUS"), port: 443)
        #expect(outside.verdict == .denied, "\(outside.text)")
        #expect(outside.hops.contains { $0.kind == "ServiceEndpointPolicy" })
        let reach = model.reach(from: .address(ip("10.0.1.4"))).sources[0].allowed
        #expect(!reach.contains(Packet(source: .ip(ip("10.0.1.4")), destination: .atom(.tag("Storage.EastUS")), protocol: .tcp, destinationPort: 443)))
    }

    /// A policy that admits a resource group may cover an account outside the model: allowed, with that assumption.
    @Test func serviceEndpointPolicyScopesAdmitUnknownAccounts() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        var policy = ServiceEndpointPolicy(id: e.id("Microsoft.Network", [("serviceEndpointPolicies", "sep")]))
        policy.definitions = [ServiceEndpointPolicyDefinition(name: "d", serviceResources: ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data"])]
        e.graph.insert(policy)
        let s = e.subnet(vnet, "s", "10.0.1.0/24", serviceEndpoints: ["Microsoft.Storage"])
        e.graph.update(s, as: Subnet.self) { $0.serviceEndpointPolicies = [policy.id] }
        let trace = e.compile().trace(from: .address(ip("10.0.1.4")), to: .serviceTag("Storage.EastUS"), port: 443)
        #expect(trace.verdict == .allowed)
        #expect(trace.assumptions.contains { $0.contains("resourceGroups/data") })
    }

    func managed(_ mode: ManagedNetworkSettings.IsolationMode, provisioned: Bool? = true) -> (NetworkModel, ResourceID) {
        var e = Estate()
        let storage = e.storage("wsstore")
        var ws = MachineLearningWorkspace(id: e.id("Microsoft.MachineLearningServices", [("workspaces", "ws")]), location: "eastus")
        ws.storageAccount = storage
        ws.managedNetwork = ManagedNetworkSettings(isolationMode: mode, outboundRules: [.fqdn("blob", "*.blob.core.windows.net")])
        ws.managedNetwork.provisioned = provisioned
        e.graph.insert(ws)
        return (e.compile(), ws.id)
    }

    @Test func m6M9M10M11M12ManagedNetwork() {
        let (disabled, id0) = managed(.disabled)
        #expect(disabled.trace(from: .managedNetwork(id0), to: .name("pypi.org"), port: 443).reason.contains("#managed-network-modes"))
        let (open, id1) = managed(.allowInternetOutbound)
        #expect(open.trace(from: .managedNetwork(id1), to: .name("pypi.org"), port: 443).verdict == .allowed)
        let (approved, id2) = managed(.allowOnlyApprovedOutbound)
        // M10: the workspace's default storage gets a required private endpoint rule.
        let ownStorage = approved.trace(from: .managedNetwork(id2), to: .name("wsstore.blob.core.windows.net"), port: 443)
        #expect(ownStorage.verdict == .allowed)
        #expect(ownStorage.hops.last?.rule == "PrivateEndpoint wsstore")
        // M10: required tag rules (symbolic).
        #expect(approved.trace(from: .managedNetwork(id2), to: .name("login.microsoftonline.com"), port: 443).verdict == .allowed)
        // M11: an FQDN rule can't open other Storage accounts.
        let other = approved.trace(from: .managedNetwork(id2), to: .name("other.blob.core.windows.net"), port: 443)
        #expect(other.verdict == .denied)
        #expect(other.hops.contains { $0.result == "Ignored" })
        let (unprovisioned, id3) = managed(.allowOnlyApprovedOutbound, provisioned: false)
        #expect(unprovisioned.trace(from: .managedNetwork(id3), to: .name("wsstore.blob.core.windows.net"), port: 443).reason.contains("#managed-network-provisioning"))
        let reach = approved.reach(from: .managedNetwork(id2)).sources[0]
        #expect(reach.notes.contains { $0.contains("#managed-network-fqdn-rules") })
        #expect(reach.allowed.contains(Packet(source: .atom(.host("managed-compute")), destination: .atom(.tag("AzureActiveDirectory")), protocol: .tcp, destinationPort: 443)))
    }
}
