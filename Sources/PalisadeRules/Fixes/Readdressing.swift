import Foundation
import PalisadeModel
import PalisadeNetwork

/// One address range a fix moves: every address of `from` now lives at the same offset in `to` (a subnet moved or
/// enlarged, a VNet re-addressed). When `to` is larger, its extra addresses stand for `from` as a whole.
public struct AddressMove: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The range before the change.
    public var from: IPv4Prefix
    /// The range after the change.
    public var to: IPv4Prefix

    /// Creates a move.
    public init(from: IPv4Prefix, to: IPv4Prefix) {
        self.from = from
        self.to = to
    }

    /// `from → to`.
    public var description: String { "\(from) → \(to)" }
}

extension [AddressMove] {
    /// Where `address` lives after the moves: the same offset in the most specific moved range that holds it.
    public func translate(_ address: IPv4Address) -> IPv4Address {
        guard let move = filter({ $0.from.contains(address) }).max(by: { $0.from.length < $1.from.length }) else { return address }
        let offset = UInt64(address.value - move.from.network.value)
        guard offset < move.to.size else { return address }
        return IPv4Address(move.to.network.value + UInt32(offset))
    }

    /// Where `prefix` lives after the moves: a moved range itself becomes its new range; a range inside one keeps its
    /// length and offset.
    public func translate(_ prefix: IPv4Prefix) -> IPv4Prefix {
        if let exact = first(where: { $0.from == prefix }) { return exact.to }
        guard let move = filter({ $0.from.contains(prefix) }).max(by: { $0.from.length < $1.from.length }),
              prefix.length >= move.to.length else { return prefix }
        return IPv4Prefix(translate(prefix.network), length: prefix.length)
    }
}

extension ResourceGraph {
    /// Applies `moves` everywhere an address or prefix is written: VNet address spaces, subnet prefixes, static
    /// private IPs of NICs, firewalls, Bastion hosts, gateways and private endpoints, route next hops and prefix
    /// destinations, NSG rules' prefixes, firewall rules' addresses (classic and policy) and IP groups.
    public mutating func applyAddressMoves(_ moves: [AddressMove]) {
        guard !moves.isEmpty else { return }
        func configs(_ list: inout [IPConfiguration]) {
            for index in list.indices { list[index].privateIPAddress = list[index].privateIPAddress.map(moves.translate) }
        }
        func match(_ value: AddressMatch) -> AddressMatch {
            if case .prefixes(let prefixes) = value { return .prefixes(prefixes.map(moves.translate)) }
            return value
        }
        for vnet in all(VirtualNetwork.self) {
            update(vnet.id, as: VirtualNetwork.self) { $0.addressSpace = $0.addressSpace.map(moves.translate) }
        }
        for subnet in all(Subnet.self) { update(subnet.id, as: Subnet.self) { $0.addressPrefixes = $0.addressPrefixes.map(moves.translate) } }
        for nic in all(NetworkInterface.self) { update(nic.id, as: NetworkInterface.self) { configs(&$0.ipConfigurations) } }
        for firewall in all(AzureFirewall.self) { update(firewall.id, as: AzureFirewall.self) { configs(&$0.ipConfigurations) } }
        for host in all(BastionHost.self) { update(host.id, as: BastionHost.self) { configs(&$0.ipConfigurations) } }
        for gateway in all(VirtualNetworkGateway.self) { update(gateway.id, as: VirtualNetworkGateway.self) { configs(&$0.ipConfigurations) } }
        for endpoint in all(PrivateEndpoint.self) {
            update(endpoint.id, as: PrivateEndpoint.self) { pe in
                for index in pe.ipConfigurations.indices { pe.ipConfigurations[index].privateIPAddress = moves.translate(pe.ipConfigurations[index].privateIPAddress) }
            }
        }
        for table in all(RouteTable.self) {
            update(table.id, as: RouteTable.self) { table in
                for index in table.routes.indices {
                    table.routes[index].nextHopIPAddress = table.routes[index].nextHopIPAddress.map(moves.translate)
                    if case .prefix(let prefix) = table.routes[index].destination { table.routes[index].destination = .prefix(moves.translate(prefix)) }
                }
            }
        }
        // Firewall rules and IP groups write addresses as text: prefixes, single addresses and `a-b` ranges move;
        // tags, names and `*` stay as written.
        func text(_ value: String) -> String {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if trimmed.contains("/"), let prefix = IPv4Prefix(trimmed) { return moves.translate(prefix).description }
            if let address = IPv4Address(trimmed) { return moves.translate(address).description }
            let ends = trimmed.split(separator: "-", omittingEmptySubsequences: false).compactMap { IPv4Address($0.trimmingCharacters(in: .whitespaces)) }
            if ends.count == 2, trimmed.split(separator: "-", omittingEmptySubsequences: false).count == 2 {
                return "\(moves.translate(ends[0]))-\(moves.translate(ends[1]))"
            }
            return value
        }
        func collections(_ list: inout [FirewallRuleCollection]) {
            for c in list.indices {
                for r in list[c].rules.indices {
                    switch list[c].rules[r] {
                    case .network(var rule):
                        rule.sourceAddresses = rule.sourceAddresses.map(text)
                        rule.destinationAddresses = rule.destinationAddresses.map(text)
                        list[c].rules[r] = .network(rule)
                    case .application(var rule):
                        rule.sourceAddresses = rule.sourceAddresses.map(text)
                        list[c].rules[r] = .application(rule)
                    case .nat(var rule):
                        rule.sourceAddresses = rule.sourceAddresses.map(text)
                        rule.translatedAddress = rule.translatedAddress.map(text)
                        list[c].rules[r] = .nat(rule)
                    }
                }
            }
        }
        for firewall in all(AzureFirewall.self) {
            update(firewall.id, as: AzureFirewall.self) { fw in
                collections(&fw.networkRuleCollections)
                collections(&fw.applicationRuleCollections)
                collections(&fw.natRuleCollections)
            }
        }
        for policy in all(FirewallPolicy.self) {
            update(policy.id, as: FirewallPolicy.self) { policy in
                for g in policy.ruleCollectionGroups.indices { collections(&policy.ruleCollectionGroups[g].ruleCollections) }
            }
        }
        for group in all(IPGroup.self) { update(group.id, as: IPGroup.self) { $0.ipAddresses = $0.ipAddresses.map(text) } }
        for nsg in all(NetworkSecurityGroup.self) {
            update(nsg.id, as: NetworkSecurityGroup.self) { group in
                for index in group.securityRules.indices {
                    group.securityRules[index].source = match(group.securityRules[index].source)
                    group.securityRules[index].destination = match(group.securityRules[index].destination)
                }
            }
        }
    }

    /// Every range a new subnet or VNet range must stay clear of, except those `excluding` names (the ranges being
    /// moved): every VNet's address space and subnets, on-premises prefixes, virtual hub ranges, point-to-site
    /// client pools, the Docker bridge AML compute uses
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet) and the ranges a VNet may
    /// not use (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq).
    public func addressesInUse(excluding: Set<IPv4Prefix> = [], excludingNetworks: Set<ResourceID> = []) -> [IPv4Prefix] {
        var used: [IPv4Prefix] = [.dockerBridge] + IPv4Prefix.forbiddenInVirtualNetworks
        for vnet in all(VirtualNetwork.self) where !excludingNetworks.contains(vnet.id) { used += vnet.addressSpace }
        for subnet in all(Subnet.self) where !excludingNetworks.contains(subnet.virtualNetwork) { used += subnet.addressPrefixes }
        used += all(LocalNetworkGateway.self).flatMap(\.addressPrefixes)
        used += all(VirtualNetworkGatewayConnection.self).flatMap(\.declaredRemotePrefixes)
        used += all(VirtualHub.self).compactMap(\.addressPrefix)
        used += all(VirtualNetworkGateway.self).flatMap { $0.vpnClientConfiguration?.addressPool ?? [] }
        return used.filter { !excluding.contains($0) }
    }

    /// The subnet `subnet` moved to a free `/length` (its prefixes become one block), as `freeBlock` finds it. The
    /// moves and the prefix the VNet gains (if any), or why there is none.
    public func relocation(of subnet: Subnet, length: Int) -> Result<(moves: [AddressMove], addedSpace: IPv4Prefix?), AddressAllocator.Exhausted> {
        guard let vnet = resource(subnet.virtualNetwork, as: VirtualNetwork.self) else {
            return .failure(AddressAllocator.Exhausted(length: length, within: []))
        }
        return freeBlock(length: length, in: vnet, for: subnet.id, near: subnet.addressPrefixes.first)
            .map { found in (subnet.addressPrefixes.map { AddressMove(from: $0, to: found.block) }, found.addedSpace) }
    }

    /// A free `/length` for subnet `subnet` (new or existing) of `vnet`: grown in place around `near` when that
    /// aligned block is free, else the lowest free block in the VNet's address space (clear of its other subnets
    /// and of anything else in use), else a new address prefix for the VNet, the block itself, from private space
    /// nothing in the estate uses. The block and the prefix added (if any), or why there is none.
    public func freeBlock(length: Int, in vnet: VirtualNetwork, for subnet: ResourceID, near: IPv4Prefix? = nil)
        -> Result<(block: IPv4Prefix, addedSpace: IPv4Prefix?), AddressAllocator.Exhausted> {
        let siblings = subnets(of: vnet.id).filter { $0.id != subnet }.flatMap(\.addressPrefixes)
        let allocator = AddressAllocator(taken: addressesInUse(excludingNetworks: [vnet.id]) + siblings)
        let usable = vnet.addressSpace.filter { space in !IPv4Prefix.forbiddenInVirtualNetworks.contains { $0.overlaps(space) } && !space.overlaps(.dockerBridge) }
        // Growing in place (the aligned block that holds the subnet's first range) keeps its addresses.
        if let near, length <= near.length {
            let grown = IPv4Prefix(near.network, length: length)
            if usable.contains(where: { $0.contains(grown) }), !allocator.taken.contains(where: { $0.overlaps(grown) }) { return .success((grown, nil)) }
        }
        if case .success(let block) = allocator.firstFree(length: length, within: usable) { return .success((block, nil)) }
        // Outside it: a new range that overlaps none of the VNet's own either.
        return AddressAllocator(taken: allocator.taken + vnet.addressSpace).firstFree(length: length, within: Self.privateSpace).map { ($0, $0) }
    }

    /// A new address plan for `vnet`: each of its address prefixes moved, at its own size, to private space no other
    /// VNet, peering, on-premises range or the Docker bridge uses (subnets keep their offsets). Prefixes are left
    /// where they are when `keep` says so. The moves, or why there are none.
    public func readdressing(of vnet: VirtualNetwork, keep: (IPv4Prefix) -> Bool = { _ in false }) -> Result<[AddressMove], AddressAllocator.Exhausted> {
        let moving = vnet.addressSpace.filter { !keep($0) }
        // The VNet's kept ranges and its subnets outside the moving ranges stay where they are.
        let staying = subnets(of: vnet.id).flatMap(\.addressPrefixes).filter { subnet in !moving.contains { $0.contains(subnet) } }
        var allocator = AddressAllocator(taken: addressesInUse(excludingNetworks: [vnet.id]) + vnet.addressSpace.filter(keep) + staying)
        var moves: [AddressMove] = []
        for prefix in moving {
            switch allocator.allocate(length: max(prefix.length, 8), within: Self.privateSpace) {
            case .success(let block): moves.append(AddressMove(from: prefix, to: block))
            case .failure(let exhausted): return .failure(exhausted)
            }
        }
        return .success(moves)
    }

    /// RFC 1918 space, the private ranges Azure recommends for VNets
    /// (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#what-address-ranges-can-i-use-in-my-vnets).
    static let privateSpace = [IPv4Prefix("10.0.0.0/8")!, IPv4Prefix("172.16.0.0/12")!, IPv4Prefix("192.168.0.0/16")!]

    /// Moves `moves` and, when given, adds `space` to the VNet `vnet` first.
    mutating func move(_ moves: [AddressMove], adding space: IPv4Prefix?, to vnet: ResourceID) {
        if let space { update(vnet, as: VirtualNetwork.self) { $0.addressSpace.append(space) } }
        applyAddressMoves(moves)
    }
}

/// What a re-addressing costs, said in every such fix.
enum ReaddressingCost {
    /// The sentence for a subnet move.
    static func subnet(_ name: String) -> String {
        "a subnet's range cannot change while resources use it: redeploy what is in '\(name)' (compute, NICs, private endpoints, gateways) in the new range"
    }

    /// The sentence for a VNet re-addressing.
    static func network(_ name: String) -> String {
        "re-addressing means redeploying everything in '\(name)' and updating whatever refers to its old addresses (peerings, firewall rules, on-premises routes)"
    }
}

extension RuleContext {
    /// A proposal that moves `subnet` to a free `/length` (see `ResourceGraph.relocation`); nil when there is no room
    /// anywhere in private space.
    func proposeRelocation(of subnet: Subnet, length: Int, because reason: String) -> FixProposal? {
        guard case .success(let plan) = graph.relocation(of: subnet, length: length), let block = plan.moves.first?.to else { return nil }
        let old = subnet.addressPrefixes.map(\.description).joined(separator: ", ")
        var summary = "give subnet '\(subnet.name)' the range \(block) instead of \(old) (\(reason))"
        if let added = plan.addedSpace { summary += ", adding \(added) to the address space of '\(subnet.virtualNetwork.name)', which has no free /\(length) left" }
        summary += "; " + ReaddressingCost.subnet(subnet.name)
        var proposal = propose(summary) { $0.move(plan.moves, adding: plan.addedSpace, to: subnet.virtualNetwork) }
        proposal.addressMoves = plan.moves
        return proposal
    }

    /// A proposal that re-addresses `vnet`'s ranges that `keep` does not keep (see `ResourceGraph.readdressing`),
    /// its subnets keeping their offsets; nil when private space has no room.
    func proposeReaddressing(of vnet: VirtualNetwork, because reason: String, keep: (IPv4Prefix) -> Bool = { _ in false }) -> FixProposal? {
        guard case .success(let moves) = graph.readdressing(of: vnet, keep: keep), !moves.isEmpty else { return nil }
        let plan = moves.map { "\($0.from) → \($0.to)" }.joined(separator: ", ")
        let subnets = graph.subnets(of: vnet.id).filter { subnet in subnet.addressPrefixes.contains { prefix in moves.contains { $0.from.contains(prefix) } } }
        var summary = "re-address virtual network '\(vnet.name)' (\(reason)): \(plan)"
        if !subnets.isEmpty {
            summary += "; subnets keep their place in the range: " + subnets.map { subnet in
                "'\(subnet.name)' \(subnet.addressPrefixes.map { "\($0) → \(moves.translate($0))" }.joined(separator: ", "))"
            }.joined(separator: ", ")
        }
        summary += "; " + ReaddressingCost.network(vnet.name)
        var proposal = propose(summary) { $0.applyAddressMoves(moves) }
        proposal.addressMoves = moves
        return proposal
    }
}

/// A rule that can say why it proposes no fix for a finding (no free address range left, no VNet to move to).
public protocol FixExplaining {
    /// Why `proposeFix` gives nothing for `finding`, in plain words; nil when it does propose one or has no reason.
    func whyNoFix(for finding: Finding, in context: RuleContext) -> String?
}

extension RuleContext {
    /// Why `subnet` cannot get a free `/length`, or nil when it can.
    func relocationFailure(of subnet: Subnet, length: Int) -> String? {
        if case .failure(let exhausted) = graph.relocation(of: subnet, length: length) { return exhausted.description }
        return nil
    }

    /// Why `vnet`'s ranges that `keep` does not keep cannot be re-addressed, or nil when they can.
    func readdressingFailure(of vnet: VirtualNetwork, keep: (IPv4Prefix) -> Bool = { _ in false }) -> String? {
        if case .failure(let exhausted) = graph.readdressing(of: vnet, keep: keep) { return exhausted.description + " of private address space" }
        return nil
    }
}
