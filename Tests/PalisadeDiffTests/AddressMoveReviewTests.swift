import Foundation
import PalisadeModel
import PalisadeNetwork
import PalisadeRules
import Testing
@testable import PalisadeDiff

/// Fixes that move addresses are reviewed modulo the move: a flow after the change is new only when the flow it
/// stands for under the old addresses was not allowed before.
@Suite("address moves in fix review")
struct AddressMoveReviewTests {
    /// A VNet with a too-small AzureBastionSubnet and a web subnet whose NSG admits SSH from the Bastion range only.
    static func estate() -> ResourceGraph {
        var graph = ResourceGraph()
        var vnet = VirtualNetwork(id: rid("Microsoft.Network", "virtualNetworks", "vnet"), location: "eastus")
        vnet.addressSpace = [prefix("10.0.0.0/16")]
        graph.insert(vnet)
        var nsg = NetworkSecurityGroup(id: rid("Microsoft.Network", "networkSecurityGroups", "nsg-web"), location: "eastus")
        nsg.securityRules = [
            SecurityRule(name: "ssh-from-bastion", priority: 100, direction: .inbound, access: .allow, protocol: .tcp,
                         source: .prefixes([prefix("10.0.250.0/27")]), destination: .any, destinationPorts: .ports(22)),
            SecurityRule(name: "deny-vnet", priority: 200, direction: .inbound, access: .deny, protocol: .any,
                         source: .serviceTag("VirtualNetwork"), destination: .any, destinationPorts: .any),
        ]
        graph.insert(nsg)
        var web = Subnet(id: vnet.id.child("subnets", "web"))
        web.addressPrefixes = [prefix("10.0.1.0/24")]
        web.networkSecurityGroup = nsg.id
        web.defaultOutboundAccess = false
        graph.insert(web)
        var bastion = Subnet(id: vnet.id.child("subnets", "AzureBastionSubnet"))
        bastion.addressPrefixes = [prefix("10.0.250.0/27")]
        graph.insert(bastion)
        return graph
    }

    static func review(_ graph: ResourceGraph) -> (FixReview, Finding) {
        let findings = Checker.run(graph)
        let finding = findings.first { $0.ruleID == "special_subnet_size" }!
        return (FixReview(graph: graph, findings: findings), finding)
    }

    /// The rule's fix grows the subnet in place and carries the NSG's reference to the old range along; the review
    /// accepts it, and the fix says what it costs.
    @Test func subnetMoveIsVerified() throws {
        let (review, finding) = Self.review(Self.estate())
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
        #expect(fix.summary?.contains("10.0.250.0/26") == true)
        #expect(fix.summary?.contains("redeploy") == true)
        let nsg = try #require(FixReviewProbe.proposal(review, finding).graph.resource(rid("Microsoft.Network", "networkSecurityGroups", "nsg-web"), as: NetworkSecurityGroup.self))
        #expect(nsg.securityRules[0].source == .prefixes([prefix("10.0.250.0/26")]))
    }

    /// Without the declared moves, the same correct change looks like new flows from the new range: the renaming is
    /// what makes the comparison fair.
    @Test func undeclaredMoveIsRejected() throws {
        let (review, finding) = Self.review(Self.estate())
        var proposal = FixReviewProbe.proposal(review, finding)
        #expect(review.problem(with: proposal.graph, for: finding, proposal: proposal, network: nil) == nil)
        proposal.addressMoves = []
        let problem = try #require(review.problem(with: proposal.graph, for: finding, proposal: proposal, network: nil))
        #expect("\(problem)".contains("newly allow"))
    }

    /// A re-addressing that also opens something extra (RDP from the moved subnet's new addresses to the web subnet)
    /// is rejected: moved addresses are read as the old ones, not excused.
    @Test func moveThatOpensMoreIsRejected() throws {
        let (review, finding) = Self.review(Self.estate())
        var proposal = FixReviewProbe.proposal(review, finding)
        proposal.graph.update(rid("Microsoft.Network", "networkSecurityGroups", "nsg-web"), as: NetworkSecurityGroup.self) { nsg in
            nsg.securityRules.append(SecurityRule(name: "rdp-from-bastion", priority: 150, direction: .inbound, access: .allow, protocol: .tcp,
                                                  source: .prefixes([prefix("10.0.250.32/27")]), destination: .any, destinationPorts: .ports(3389)))
        }
        let problem = try #require(review.problem(with: proposal.graph, for: finding, proposal: proposal, network: nil))
        #expect("\(problem)".contains("newly allow"))
        #expect("\(problem)".contains("AzureBastionSubnet"))
    }

    /// When the VNet is full, the subnet moves to a new address prefix from free private space.
    @Test func fullVirtualNetworkGainsAPrefix() throws {
        var graph = Self.estate()
        let vnet = rid("Microsoft.Network", "virtualNetworks", "vnet")
        graph.update(vnet, as: VirtualNetwork.self) { $0.addressSpace = [prefix("10.0.0.0/23"), prefix("10.0.250.0/27")] }
        graph.update(vnet.child("subnets", "web"), as: Subnet.self) { $0.addressPrefixes = [prefix("10.0.0.0/23")] }
        var other = VirtualNetwork(id: rid("Microsoft.Network", "virtualNetworks", "vnet-other"), location: "eastus")
        other.addressSpace = [prefix("10.0.2.0/24")]
        graph.insert(other)
        let (review, finding) = Self.review(graph)
        let proposal = FixReviewProbe.proposal(review, finding)
        let space = try #require(proposal.graph.resource(vnet, as: VirtualNetwork.self)).addressSpace
        // The lowest /26 of private space that overlaps neither this VNet nor the other one.
        #expect(space.contains(prefix("10.0.3.0/26")))
        #expect(proposal.summary.contains("adding 10.0.3.0/26"))
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
    }

    /// Exhausted private space: no proposal, so no fix.
    @Test func noRoomNoFix() {
        var graph = Self.estate()
        for (index, block) in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].enumerated() {
            var vnet = VirtualNetwork(id: rid("Microsoft.Network", "virtualNetworks", "full-\(index)"), location: "eastus")
            vnet.addressSpace = [prefix(block)]
            graph.insert(vnet)
        }
        graph.update(rid("Microsoft.Network", "virtualNetworks", "vnet"), as: VirtualNetwork.self) { $0.addressSpace = [prefix("10.0.250.0/27")] }
        graph.remove(rid("Microsoft.Network", "virtualNetworks", "vnet").child("subnets", "web"))
        let (review, finding) = Self.review(graph)
        let fix = review.fix(for: finding)
        #expect(fix.status == .none)
        #expect(fix.reason?.contains("no free /26 is left in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16") == true, "\(fix.reason ?? "")")
    }

    /// The firewall's own subnet moves (the aligned block around it is taken): the firewall's address, the route
    /// that sends a spoke subnet through it and the firewall rule that names that subnet move along, and the review
    /// verifies the whole, traffic through the firewall included.
    @Test func firewallSubnetMoveCarriesTransit() throws {
        var graph = ResourceGraph()
        var vnet = VirtualNetwork(id: rid("Microsoft.Network", "virtualNetworks", "vnet"), location: "eastus")
        vnet.addressSpace = [prefix("10.0.0.0/16")]
        graph.insert(vnet)
        func subnet(_ name: String, _ text: String, table: ResourceID? = nil) -> ResourceID {
            var subnet = Subnet(id: vnet.id.child("subnets", name))
            subnet.addressPrefixes = [prefix(text)]
            subnet.routeTable = table
            subnet.defaultOutboundAccess = false
            graph.insert(subnet)
            return subnet.id
        }
        let firewallSubnet = subnet("AzureFirewallSubnet", "10.0.1.0/27")
        _ = subnet("busy", "10.0.1.32/27")
        var table = RouteTable(id: rid("Microsoft.Network", "routeTables", "rt-work"), location: "eastus")
        table.routes = [Route(name: "default", destination: .prefix(prefix("0.0.0.0/0")), nextHopType: .virtualAppliance, nextHopIPAddress: IPv4Address(10, 0, 1, 4))]
        graph.insert(table)
        _ = subnet("work", "10.0.2.0/24", table: table.id)
        var pip = PublicIPAddress(id: rid("Microsoft.Network", "publicIPAddresses", "pip-fw"), location: "eastus")
        pip.ipAddress = IPv4Address(20, 1, 2, 3)
        graph.insert(pip)
        var firewall = AzureFirewall(id: rid("Microsoft.Network", "azureFirewalls", "fw"), location: "eastus")
        firewall.ipConfigurations = [IPConfiguration(name: "ip", subnet: firewallSubnet, privateIPAddress: IPv4Address(10, 0, 1, 4), publicIPAddress: pip.id)]
        firewall.networkRuleCollections = [FirewallRuleCollection(name: "out", priority: 100, action: .allow, rules: [
            .network(NetworkRule(name: "https", protocols: [.tcp], sourceAddresses: ["10.0.2.0/24"], destinationAddresses: ["*"], destinationPorts: ["443"])),
        ])]
        graph.insert(firewall)

        let findings = Checker.run(graph)
        let finding = try #require(findings.first { $0.ruleID == "special_subnet_size" })
        let review = FixReview(graph: graph, findings: findings)
        let proposal = FixReviewProbe.proposal(review, finding)
        #expect(proposal.addressMoves == [AddressMove(from: prefix("10.0.1.0/27"), to: prefix("10.0.0.0/26"))])
        #expect(proposal.graph.resource(firewall.id, as: AzureFirewall.self)?.privateIPAddress == IPv4Address(10, 0, 0, 4))
        #expect(proposal.graph.resource(table.id, as: RouteTable.self)?.routes.first?.nextHopIPAddress == IPv4Address(10, 0, 0, 4))
        let fix = review.fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")

        // Forgetting the route: the spoke's traffic no longer reaches the firewall, and the review says so.
        var broken = proposal
        broken.graph.update(table.id, as: RouteTable.self) { $0.routes[0].nextHopIPAddress = IPv4Address(10, 0, 1, 4) }
        let problem = review.problem(with: broken.graph, for: finding, proposal: broken, network: nil)
        #expect(problem.map { "\($0)" }?.contains("points at 10.0.1.4") == true)
    }

    /// The renaming's preimage: an enlarged range stands for the old one (repeating), a moved one shifts, the rest
    /// stays.
    @Test func preimage() {
        let renaming = AddressRenaming([AddressMove(from: prefix("10.0.250.0/27"), to: prefix("10.0.250.0/26")),
                                        AddressMove(from: prefix("10.1.0.0/24"), to: prefix("10.9.0.0/24"))])
        func set(_ prefixes: String...) -> IntervalSet { IntervalSet(prefixes: prefixes.map { prefix($0) }) }
        #expect(renaming.preimage(set("10.0.250.0/27")) == set("10.0.250.0/26"))
        #expect(renaming.preimage(set("10.0.250.4/32")) == set("10.0.250.4/32", "10.0.250.36/32"))
        #expect(renaming.preimage(set("10.1.0.128/25")) == set("10.1.0.128/25", "10.9.0.128/25"))
        #expect(renaming.preimage(set("10.0.1.0/24")) == set("10.0.1.0/24"))
        // The old range's addresses now belong to the new block; the vacated ones stand for themselves.
        #expect(renaming.preimage(set("10.9.0.0/24")) == .empty)
        #expect(renaming.preimage(set("10.1.0.0/16")) == set("10.1.0.0/16", "10.9.0.0/24"))
        // Nested new ranges: inside a moved VNet, a subnet moved elsewhere is read through its own move (the old
        // addresses, vacated, stand for themselves).
        let nested = AddressRenaming([AddressMove(from: prefix("172.16.0.0/12"), to: prefix("10.0.0.0/12")),
                                      AddressMove(from: prefix("172.16.5.0/24"), to: prefix("10.0.9.0/24"))])
        #expect(nested.preimage(set("172.16.5.0/24")) == set("10.0.5.0/24", "10.0.9.0/24", "172.16.5.0/24"))
        #expect(nested.preimage(set("172.16.9.0/24")) == set("172.16.9.0/24"))
        #expect(nested.preimage(set("172.16.0.0/12")) == set("10.0.0.0/12", "172.16.0.0/12"))
    }
}

/// Reaches the rule's proposal the way the review does.
enum FixReviewProbe {
    static func proposal(_ review: FixReview, _ finding: Finding) -> FixProposal {
        let context = RuleContext(graph: review.graph, network: review.network, intents: review.intents, declaredEgress: review.declaredEgress)
        return SpecialSubnetSizeRule().proposeFix(for: finding, in: context)!
    }
}
