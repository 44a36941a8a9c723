import PalisadeModel

/// What the design needs from the address space, worked out from the spec before any subnet is placed.
struct SubnetRequest: Sendable {
    enum Placement: Sendable {
        case fixed(IPv4Prefix)
        case newbits(Int)
        case size(Int)
    }
    var name: String
    var placement: Placement
    var uses: [SubnetUse]
    var addressesNeeded: Int
    /// Key path of the subnet in the spec, for diagnostics (nil for planner-chosen subnets).
    var keyPath: String?
    /// Whether this is an existing subnet reused as it is: it lies in the existing VNet's address space (checked by
    /// the spec validator), not necessarily in the space new subnets are planned in.
    var reused = false
}

/// Places subnets in the VNet address space and checks them against Azure's rules
/// (docs/semantics.md#reserved-addresses, #bastion, #gateway-subnet, #firewall-placement).
struct AddressPlanner {
    var addressSpace: IPv4Prefix
    var requests: [SubnetRequest]
    var addressSpacePath = "network.addressSpace"
    /// Blocks other subnets of an existing VNet already hold: new subnets avoid them.
    var occupied: [IPv4Prefix] = []

    /// Plans the subnets; returns nil plan when errors make it meaningless.
    func plan(into diagnostics: inout Diagnostics, locate: (String) -> SourceLocation?) -> AddressPlan? {
        let errorsBefore = diagnostics.errors.count
        func error(_ code: String, _ message: String, fix: String? = nil, at path: String?) {
            diagnostics.append(Diagnostic(.error, code: code, message, fix: fix, at: path.flatMap(locate)))
        }

        if addressSpace.overlaps(.dockerBridge) {
            error("plan.docker-bridge", "address space '\(addressSpace)' overlaps the Docker bridge network 172.17.0.0/16",
                  fix: "choose an address space outside 172.17.0.0/16 (the Docker bridge network compute uses)", at: addressSpacePath)
        }
        for forbidden in IPv4Prefix.forbiddenInVirtualNetworks where addressSpace.overlaps(forbidden) {
            error("plan.forbidden-range", "address space '\(addressSpace)' overlaps '\(forbidden)', which a VNet may not use",
                  fix: "use private address space such as 10.0.0.0/8", at: addressSpacePath)
        }

        var placed: [(request: SubnetRequest, prefix: IPv4Prefix)] = []
        // 1. Fixed prefixes.
        for request in requests {
            guard case .fixed(let prefix) = request.placement else { continue }
            placed.append((request, prefix))
        }
        // 2. Terraform `cidrsubnets` semantics for newbits entries, in spec order.
        let newbitsRequests = requests.filter { if case .newbits = $0.placement { true } else { false } }
        if !newbitsRequests.isEmpty {
            let bits = newbitsRequests.map { request -> Int in
                if case .newbits(let n) = request.placement { return n }
                return 0
            }
            if let prefixes = addressSpace.consecutiveSubnets(newBits: bits) {
                placed.append(contentsOf: zip(newbitsRequests, prefixes).map { ($0, $1) })
            } else {
                error("plan.does-not-fit", "subnets with newbits \(bits) do not fit in '\(addressSpace)'",
                      fix: "use smaller newbits values or a larger address space", at: newbitsRequests[0].keyPath)
            }
        }
        // 3. Sized subnets, largest first, each at the lowest aligned free block (buddy-style best fit).
        let sized = requests.enumerated().compactMap { index, request -> (Int, SubnetRequest, Int)? in
            if case .size(let length) = request.placement { return (index, request, length) }
            return nil
        }.sorted { ($0.2, $0.0) < ($1.2, $1.0) }
        var unplaced: [(SubnetRequest, Int)] = []
        for (_, request, length) in sized {
            guard length >= addressSpace.length, length <= 32,
                  let prefix = firstFree(length: length, avoiding: placed.map(\.prefix) + occupied)
            else {
                unplaced.append((request, length))
                continue
            }
            placed.append((request, prefix))
        }
        if !unplaced.isEmpty {
            let needed = requests.compactMap { request -> UInt64? in
                switch request.placement {
                case .size(let length): UInt64(1) << UInt64(32 - length)
                case .fixed(let prefix): prefix.size
                case .newbits(let bits): UInt64(1) << UInt64(32 - min(32, addressSpace.length + bits))
                }
            }.reduce(0, +)
            var smallest = 32
            while smallest > 0, (UInt64(1) << UInt64(32 - smallest)) < needed { smallest -= 1 }
            let list = unplaced.map { "\($0.0.name) (/\($0.1))" }.joined(separator: ", ")
            error("plan.does-not-fit",
                  "address space '\(addressSpace)' has no room for \(list); the design needs \(needed) addresses",
                  fix: "use an address space of /\(smallest) or larger, e.g. '\(IPv4Prefix(addressSpace.network, length: smallest))', or shrink the subnets",
                  at: addressSpacePath)
        }

        // Checks on every placed subnet.
        for (request, prefix) in placed {
            let path = request.keyPath.map { "\($0).prefix" }
            if !request.reused, !addressSpace.contains(prefix) {
                error("plan.outside-space", "subnet '\(request.name)' prefix '\(prefix)' is outside the address space '\(addressSpace)'",
                      fix: "pick a prefix inside '\(addressSpace)'", at: path ?? addressSpacePath)
            }
            if prefix.length > 29 {
                error("plan.too-small", "subnet '\(request.name)' is /\(prefix.length); Azure's smallest subnet is /29",
                      fix: "use a /29 or larger (Azure's smallest subnet)", at: path)
            }
            if prefix.overlaps(.dockerBridge) && !addressSpace.overlaps(.dockerBridge) {
                error("plan.docker-bridge", "subnet '\(request.name)' overlaps 172.17.0.0/16", at: path)
            }
            if let special = SpecialSubnet.named(request.name), prefix.length > special.maximumPrefixLength {
                error("plan.special-subnet-size",
                      "\(special.rawValue) '\(prefix)' is smaller than the /\(special.maximumPrefixLength) Azure requires",
                      fix: "make \(special.rawValue) a /\(special.maximumPrefixLength) or larger",
                      at: path)
            }
            if request.uses != [.reserved], request.addressesNeeded > prefix.azureUsableCount {
                error("plan.capacity",
                      "subnet '\(request.name)' (\(prefix)) has \(prefix.azureUsableCount) usable addresses but the design places \(request.addressesNeeded) there",
                      fix: request.reused
                        ? "reuse a larger subnet, or leave this role out of landingZone.spoke.subnets so the design creates one (Azure keeps 5 addresses per subnet)"
                        : "enlarge the subnet or lower compute.cluster.maxNodes (Azure keeps 5 addresses per subnet)",
                      at: path)
            }
        }
        for (i, a) in placed.enumerated() {
            for b in placed[(i + 1)...] where a.prefix.overlaps(b.prefix) {
                error("plan.overlap", "subnets '\(a.request.name)' (\(a.prefix)) and '\(b.request.name)' (\(b.prefix)) overlap",
                      fix: "give each subnet its own block", at: b.request.keyPath.map { "\($0).prefix" })
            }
        }
        guard diagnostics.errors.count == errorsBefore else { return nil }
        let subnets = placed.map { PlannedSubnet(name: $0.request.name, prefix: $0.prefix, uses: $0.request.uses,
                                                  addressesNeeded: $0.request.addressesNeeded) }
            .sorted { $0.prefix < $1.prefix }
        return AddressPlan(addressSpace: addressSpace, subnets: subnets)
    }

    private func firstFree(length: Int, avoiding taken: [IPv4Prefix]) -> IPv4Prefix? {
        let newBits = length - addressSpace.length
        guard newBits >= 0 else { return nil }
        let count = 1 << min(newBits, 24)
        for index in 0..<count {
            guard let candidate = addressSpace.subnet(newBits: newBits, index: index) else { return nil }
            if !taken.contains(where: { $0.overlaps(candidate) }) { return candidate }
        }
        return nil
    }
}
