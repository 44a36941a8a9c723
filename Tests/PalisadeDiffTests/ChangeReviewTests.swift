import Foundation
import PalisadeModel
import PalisadeNetwork
import PalisadeRules
import Testing
@testable import PalisadeDiff

@Suite("change review")
struct ChangeReviewTests {
    static func estate(sshFromInternet: Bool, publicIP: Bool = true) -> ResourceGraph {
        var graph = ResourceGraph()
        var vnet = VirtualNetwork(id: rid("Microsoft.Network", "virtualNetworks", "vnet"), location: "eastus")
        vnet.addressSpace = [prefix("10.0.0.0/16")]
        graph.insert(vnet)
        var nsg = NetworkSecurityGroup(id: rid("Microsoft.Network", "networkSecurityGroups", "nsg-web"), location: "eastus")
        nsg.securityRules = [SecurityRule(name: "https", priority: 100, direction: .inbound, access: .allow, protocol: .tcp,
                                          source: .serviceTag("VirtualNetwork"), destination: .any, destinationPorts: .ports(443))]
        if sshFromInternet {
            nsg.securityRules.append(SecurityRule(name: "ssh", priority: 110, direction: .inbound, access: .allow, protocol: .tcp,
                                                  source: .serviceTag("Internet"), destination: .any, destinationPorts: .ports(22)))
        }
        graph.insert(nsg)
        var subnet = Subnet(id: vnet.id.child("subnets", "web"))
        subnet.addressPrefixes = [prefix("10.0.1.0/24")]
        subnet.networkSecurityGroup = nsg.id
        subnet.defaultOutboundAccess = false
        graph.insert(subnet)
        var pip = PublicIPAddress(id: rid("Microsoft.Network", "publicIPAddresses", "pip-vm"), location: "eastus")
        pip.ipAddress = IPv4Address(20, 1, 2, 3)
        graph.insert(pip)
        var nic = NetworkInterface(id: rid("Microsoft.Network", "networkInterfaces", "nic-vm"), location: "eastus")
        nic.ipConfigurations = [IPConfiguration(name: "ip", subnet: subnet.id, privateIPAddress: IPv4Address(10, 0, 1, 4), publicIPAddress: publicIP ? pip.id : nil)]
        graph.insert(nic)
        return graph
    }

    /// SSH from the Internet to a VM with a public IP: one opened flow, named after the public IP, with an
    /// allowed witness through the NSG rule, in the internet category; the NSG's changed property is listed.
    @Test func openingSSHFromTheInternetFails() throws {
        let review = ChangeReview.review(before: ReviewInput(graph: Self.estate(sshFromInternet: false), label: "a"),
                                         after: ReviewInput(graph: Self.estate(sshFromInternet: true), label: "b"))
        let fromInternet = review.opened.filter { $0.source == "internet" }
        #expect(fromInternet.count == 1)
        #expect(fromInternet.first?.destination.name == "nic-vm (public IP)")
        #expect(fromInternet.first?.services == ["Tcp/22"])
        #expect(fromInternet.first?.witness?.verdict == .allowed)
        #expect(fromInternet.first?.witness?.hops.contains { $0.rule == "ssh" } == true)
        #expect(review.fails(on: [.internet]))
        #expect(!review.fails(on: [.requiredFlow, .intent]))
        #expect(review.closed.isEmpty)
        #expect(review.introduced.contains { $0.ruleID == "nsg_internet_management_ports" })
        #expect(review.resources.count == 1 && review.resources[0].kind == .changed)
        #expect(review.resources[0].properties.contains { $0.path.hasPrefix("securityRules") }, "\(review.resources)")
        // The SARIF holds only what the change introduces.
        let sarif = review.sarif()
        #expect(sarif.runs[0].results.count == review.introduced.count)
        #expect(review.markdown().contains("**Fails:**"))
        // The reverse change closes the flow and passes.
        let back = ChangeReview.review(before: ReviewInput(graph: Self.estate(sshFromInternet: true), label: "b"),
                                       after: ReviewInput(graph: Self.estate(sshFromInternet: false), label: "a"))
        #expect(back.closed.contains { $0.source == "internet" && $0.services == ["Tcp/22"] })
        #expect(back.failures.isEmpty)
        #expect(back.resolved.contains { $0.ruleID == "nsg_internet_management_ports" })
    }

    /// Identical inputs: nothing to report, nothing fails.
    @Test func noChangeIsEmpty() {
        let graph = Self.estate(sshFromInternet: true)
        let review = ChangeReview.review(before: ReviewInput(graph: graph, label: "a"), after: ReviewInput(graph: graph, label: "a"))
        #expect(review.isEmpty)
        #expect(review.failures.isEmpty)
    }

    /// Witness traces shown to reviewers carry no internal rule references.
    @Test func witnessTextIsPlain() {
        #expect(ChangeReview.plain("priority 110 (N7, N11)") == "priority 110")
        #expect(ChangeReview.plain("default outbound access (M3; not recommended)") == "default outbound access (not recommended)")
        #expect(ChangeReview.plain("keeps IPv4 and tcp/22 (§9.6)") == "keeps IPv4 and tcp/22")
    }

    /// Egress from the firewall's own subnet is the controlled path, never a bypass.
    @Test func firewallSubnetIsNotABypass() {
        let graph = RandomChange.estate(seed: 7)
        let model = NetworkModel.compile(graph)
        let firewallSubnet = rid("Microsoft.Network", "virtualNetworks", "hub").child("subnets", "AzureFirewallSubnet")
        #expect(ChangeReview.isPlatformSubnet(.subnet(firewallSubnet), model))
        #expect(ChangeReview.isPlatformSubnet(.address(IPv4Address(10, 0, 1, 4)), model))
        #expect(!ChangeReview.isPlatformSubnet(.subnet(rid("Microsoft.Network", "virtualNetworks", "spoke1").child("subnets", "s1-0")), model))
    }

    /// Switching a key vault's public network access on "for a test" opens a path from the Internet to its public
    /// endpoint, outside the virtual networks: the review fails on the internet category, and switching it back passes.
    @Test func publicNetworkAccessOnAServiceFailsAsInternet() throws {
        func estate(_ access: EnablementState) -> ResourceGraph {
            var graph = Self.estate(sshFromInternet: false, publicIP: false)
            var vault = KeyVault(id: rid("Microsoft.KeyVault", "vaults", "kv-data"), location: "eastus")
            vault.publicNetworkAccess = access
            vault.networkACLs.defaultAction = access == .enabled ? .allow : .deny
            graph.insert(vault)
            return graph
        }
        let opening = ChangeReview.review(before: ReviewInput(graph: estate(.disabled), label: "a"), after: ReviewInput(graph: estate(.enabled), label: "b"))
        #expect(opening.fails(on: [.internet]), "\(opening.failures)")
        #expect(opening.failures.contains { $0.category == .internet && $0.message.contains("kv-data") })
        let closing = ChangeReview.review(before: ReviewInput(graph: estate(.enabled), label: "b"), after: ReviewInput(graph: estate(.disabled), label: "a"))
        #expect(!closing.fails(on: Set(FailureCategory.allCases)), "\(closing.failures)")
    }

    /// Changed properties read as a reviewer would write them: rules matched by name (a rule inserted ahead of
    /// another does not make the other look changed), port ranges as `22` or `8000-8080`, no encoding artefacts.
    @Test func changedPropertiesAreNamedAndReadable() throws {
        let before = Self.estate(sshFromInternet: false)
        var after = before
        var nsg = try #require(after.all(NetworkSecurityGroup.self).first)
        nsg.securityRules.insert(SecurityRule(name: "web-alt", priority: 90, direction: .inbound, access: .allow, protocol: .tcp,
                                              source: .serviceTag("VirtualNetwork"), destination: .any, destinationPorts: .ports(8443)), at: 0)
        nsg.securityRules[1].destinationPorts = PortMatch.ranges([PortRange(8000, 8080)])
        after.insert(nsg)
        let changes = ResourceChanges.compare(before, after)
        let paths = changes.flatMap(\.properties).map(\.path)
        #expect(paths == ["securityRules['https'].destinationPorts.ranges[0]", "securityRules['web-alt']"], "\(paths)")
        let ports = changes.flatMap(\.properties).first
        #expect(ports?.before == "443" && ports?.after == "8000-8080", "\(changes)")
    }

    /// Secret-like properties are never printed.
    @Test func secretsAreRedacted() {
        #expect(ResourceChanges.isSecret("adminPassword"))
        #expect(ResourceChanges.isSecret("value"))
        #expect(!ResourceChanges.isSecret("priority"))
    }

    /// Folding: whole subnets and VNets by name, NIC addresses by resource, public space as Internet.
    @Test func foldingNamesDestinations() {
        let model = NetworkModel.compile(Self.estate(sshFromInternet: false))
        let folder = FlowFolder(model: model)
        let subnet = folder.destinations(AddressSet(ips: IntervalSet(prefix: prefix("10.0.1.0/24"))))
        #expect(subnet.map(\.name) == ["vnet/web"])
        let nic = folder.destinations(.address(IPv4Address(10, 0, 1, 4)))
        #expect(nic.map(\.name) == ["nic-vm"])
        let vnet = folder.destinations(AddressSet(ips: IntervalSet(prefix: prefix("10.0.0.0/16"))))
        #expect(vnet.map(\.name) == ["vnet"])
        let internet = folder.destinations(AddressSet(ips: WellKnownRanges.publicUnicast, atoms: .all))
        #expect(internet.map(\.name) == ["Internet"])
    }
}

