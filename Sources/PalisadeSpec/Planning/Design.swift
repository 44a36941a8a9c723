import PalisadeModel

/// The result of planning a spec: the resolved spec, the address plan and the complete resource graph.
public struct Design: Sendable {
    /// The spec as read (defaults applied).
    public var spec: Spec
    /// The region.
    public var region: AzureRegion
    /// The suffix used for globally unique names.
    public var suffix: String
    /// The address plan.
    public var addressPlan: AddressPlan
    /// The environment.
    public var graph: ResourceGraph
    /// The spec's declared intents, located in the spec file.
    public var intents: [IntentDeclaration] = []

    /// What the spec declares compute may send (package sources and extra destinations).
    public var declaredEgress: DeclaredEgress { spec.declaredEgress }
}

/// Turns a spec into a design: validates values, plans addresses, then builds every resource.
public enum EnvironmentDesigner {
    /// Plans `spec`. `locate` maps a key path such as `network.subnets[1].prefix` to its place in the input file.
    /// Returns nil with errors in the diagnostics when the spec is invalid; never traps on user input.
    public static func design(
        _ spec: Spec, locate: @escaping (String) -> SourceLocation? = { _ in nil }
    ) -> (design: Design?, diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        var validator = SpecValidator(spec: spec)
        validator.validate(into: &diagnostics, locate: locate)
        guard !diagnostics.hasErrors, let region = AzureRegion.named(spec.location) else { return (nil, diagnostics) }
        let naming = Naming(spec: spec, region: region)
        var planner = AddressPlanner(addressSpace: spec.network.addressSpace, requests: subnetRequests(spec))
        planner.occupied = spec.landingZone?.spoke?.occupied ?? []
        guard let plan = planner.plan(into: &diagnostics, locate: locate) else { return (nil, diagnostics) }
        var builder = GraphBuilder(spec: spec, naming: naming, plan: plan)
        builder.build(into: &diagnostics, locate: locate)
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        let intents = spec.intents.enumerated().map { index, intent in intent.declaration(source: locate("intents[\(index)]")) }
        var graph = builder.graph
        attachSourceLocations(&graph, spec: spec, locate: locate)
        return (Design(spec: spec, region: region, suffix: naming.suffix, addressPlan: plan, graph: graph, intents: intents),
                diagnostics)
    }

    /// Addresses each kind of subnet use needs.
    static func addressesNeeded(_ uses: [SubnetUse], spec: Spec) -> Int {
        var total = 0
        for use in uses {
            switch use {
            case .compute:
                guard !spec.usesManagedNetwork else { break }
                total += (spec.compute.cluster?.maxNodes ?? 0) + (spec.compute.instance == nil ? 0 : 1)
            case .privateEndpoints:
                total += privateEndpointAddresses(spec)
            case .jumpbox:
                total += spec.access.jumpbox.enabled ? 1 : 0
            case .scoring, .reserved:
                break
            }
        }
        return total
    }

    /// Private endpoint IPs: workspace 3 (api, notebooks, inference; docs/semantics.md#workspace-names), one per storage service, vault 1,
    /// registry 2 (REST + data, docs/semantics.md#private-dns-zones-per-service), AMPLS 10 (its shared endpoints), OpenAI 1.
    static func privateEndpointAddresses(_ spec: Spec) -> Int {
        3 + Set(spec.storage.services + [.blob, .file]).count + 1 + 2
            + (spec.monitoring.privateLinkScope ? 10 : 0) + (spec.services.openAI ? 1 : 0)
    }

    private static func fitLength(_ needed: Int, atMost length: Int) -> Int {
        var candidate = 29
        while candidate > 8, IPv4Prefix(IPv4Address(0), length: candidate).azureUsableCount < needed { candidate -= 1 }
        return min(candidate, length)
    }

    static func subnetRequests(_ spec: Spec) -> [SubnetRequest] {
        if let subnets = spec.network.subnets {
            return subnets.enumerated().map { index, subnet in
                let placement: SubnetRequest.Placement =
                    if let prefix = subnet.prefix { .fixed(prefix) }
                    else if let bits = subnet.newbits { .newbits(bits) }
                    else { .size(subnet.size ?? 24) }
                return SubnetRequest(name: subnet.name, placement: placement, uses: subnet.uses,
                                     addressesNeeded: addressesNeeded(subnet.uses, spec: spec),
                                     keyPath: "network.subnets[\(index)]")
            }
        }
        var requests: [SubnetRequest] = []
        // Existing subnets of an existing spoke VNet, reused as they are (fixed prefixes the new ones avoid).
        let reused = spec.landingZone?.spoke?.subnets.all ?? []
        for (use, key, subnet) in reused {
            requests.append(SubnetRequest(name: subnet.name, placement: .fixed(subnet.prefix), uses: [use],
                                          addressesNeeded: addressesNeeded([use], spec: spec),
                                          keyPath: "landingZone.spoke.subnets.\(key)", reused: true))
        }
        func add(_ name: String, _ uses: [SubnetUse], length: Int) {
            guard !reused.contains(where: { uses.contains($0.use) }) else { return }
            requests.append(SubnetRequest(name: name, placement: .size(length), uses: uses,
                                          addressesNeeded: addressesNeeded(uses, spec: spec), keyPath: nil))
        }
        if !spec.usesManagedNetwork {
            add("snet-training", [.compute], length: fitLength(addressesNeeded([.compute], spec: spec), atMost: 24))
        }
        add("snet-endpoints", [.privateEndpoints], length: fitLength(privateEndpointAddresses(spec), atMost: 26))
        if spec.access.jumpbox.enabled { add("snet-jumpbox", [.jumpbox], length: 28) }
        if spec.firewallEnabled { add(SpecialSubnet.firewall.rawValue, [], length: 26) }
        if spec.bastionEnabled { add(SpecialSubnet.bastion.rawValue, [], length: 26) }
        if spec.access.vpn.enabled { add(SpecialSubnet.gateway.rawValue, [], length: 27) }
        return requests
    }
}

extension Spec {
    /// Whether the design has an Azure Firewall. Default: yes, unless compute lives in a managed network and no
    /// jumpbox needs a way out (the jumpbox reaches the studio and Entra ID sign-in through the firewall; subnets
    /// get no default outbound access).
    /// In a landing zone the central firewall is the platform's, so the spoke has none of its own.
    public var firewallEnabled: Bool {
        guard landingZone == nil else { return false }
        return firewall.enabled ?? (!usesManagedNetwork || access.jumpbox.enabled)
    }

    /// Whether the design has its own Bastion: by default yes, except in a landing zone (the hub has it).
    public var bastionEnabled: Bool { landingZone == nil && (access.bastion.enabled ?? true) }

    /// Whether egress leaves through an Azure Firewall: the design's own, or a landing zone's central firewall
    /// reached over a route table (not with Virtual WAN routing intent, where the hub programs the routes).
    var routesThroughFirewall: Bool {
        if let landingZone { return landingZone.virtualHub?.routingIntent != true }
        return firewallEnabled
    }

    /// What this spec declares compute may send beyond Microsoft's required destinations: the package sources,
    /// `firewall.packageRepositories`, `firewall.allowFqdns`, and privateAML's own allow-list when that profile is
    /// chosen.
    public var declaredEgress: DeclaredEgress {
        var additional = AMLRequirements.packageHosts(firewall.packageRepositories.map(\.rawValue) + firewall.allowFqdns)
            .map { IntentTarget.on($0, [443]) }
        if firewall.profile == .privateAML {
            additional += GraphBuilder.privateAMLApplicationTargets.map { IntentTarget.on($0, [80, 443]) }
            additional.append(IntentTarget("*", ports: [PortRange(123, 123)], protocol: "udp"))
            additional.append(IntentTarget("AzureContainerRegistry", ports: [PortRange(0, 65535)], protocol: "tcp"))
        }
        for rule in workspace.managedNetwork.outboundRules where rule.type == .fqdn {
            if let destination = rule.destination { additional.append(.on(destination, [80, 443])) }
        }
        return DeclaredEgress(packageHosts: packageSources.hosts, additional: additional)
    }
}
