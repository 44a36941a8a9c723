import PalisadeModel

/// The intents every Azure Machine Learning environment must satisfy, derived from the compute mode found and
/// Microsoft's documented requirements. Each intent carries the Learn page it comes from.
public enum BuiltInIntents {
    /// Outbound requirements of compute in a customer VNet.
    static let trainingDoc = "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet"
    /// Firewall host names (Entra ID sign-in, studio, package repositories).
    static let firewallDoc = "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall"
    /// Managed network required rules.
    static let managedDoc = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network"
    /// Studio from inside a virtual network.
    static let studioDoc = "https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network"
    /// Workspace private endpoint and its names.
    static let privateLinkDoc = "https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link"
    /// Bastion's public front.
    static let bastionDoc = "https://learn.microsoft.com/azure/bastion/bastion-nsg"

    /// The built-in intents for `graph` (empty when it holds no Azure Machine Learning workspace).
    public static func derive(_ graph: ResourceGraph, declared: DeclaredEgress = .undeclared) -> [IntentDeclaration] {
        var intents: [IntentDeclaration] = []
        var jumpboxPermitted: [IntentTarget] = []
        let privateMonitor = !graph.all(MonitorPrivateLinkScope.self).isEmpty
        for ws in graph.all(MachineLearningWorkspace.self).sorted(by: { $0.id < $1.id }) {
            guard let region = ws.location.flatMap(AzureRegion.named) else { continue }
            let computes = graph.all(MachineLearningCompute.self).filter { $0.workspace == ws.id }.sorted { $0.id < $1.id }
            let subnets = Array(Set(computes.compactMap(\.subnet))).sorted().map(\.rawValue)
            let managed = ws.managedNetwork.isolationMode != .disabled
            let workspaceHasEndpoint = !graph.privateEndpoints(targeting: ws.id).isEmpty
            let storage = graph.resource(ws.storageAccount, as: StorageAccount.self)
            let vault = graph.resource(ws.keyVault, as: KeyVault.self)
            let registry = graph.resource(ws.containerRegistry, as: ContainerRegistry.self)
            let packages = declared.packageHosts ?? []
            var computeEgress: [IntentTarget]?
            var sharesSubnetWithJumpbox = false

            // Dependencies through private DNS: the workspace API, storage (blob 443, file 445), vault, registry.
            var dependencies: [IntentTarget] = []
            if workspaceHasEndpoint || managed { dependencies.append(.on(ws.name, [443])) }
            if let storage {
                dependencies.append(.on("\(storage.name.lowercased()).blob.core.windows.net", [443]))
                dependencies.append(.on("\(storage.name.lowercased()).file.core.windows.net", [445]))
            }
            if let vault { dependencies.append(.on("\(vault.name.lowercased()).vault.azure.net", [443])) }
            if let registry { dependencies.append(.on("\(registry.name.lowercased()).azurecr.io", [443])) }

            if !subnets.isEmpty {
                let tags = AMLRequirements.networkRequirements(highBusinessImpact: ws.highBusinessImpact, privateMonitor: privateMonitor)
                    .map { IntentTarget.on($0.destinationText(in: region), $0.ports, $0.protocol == .udp ? "udp" : $0.protocol == .tcp ? "tcp" : "any") }
                let hosts = AMLRequirements.applicationRequirements.map { IntentTarget.on($0.destinationText(in: region), [443]) }
                let label = computes.filter { $0.subnet != nil }.map(\.name).joined(separator: ", ")
                intents.append(IntentDeclaration(
                    form: .mustReach, name: "compute (\(label)) reaches Entra ID, the Azure Machine Learning service tags and host names",
                    sources: subnets, destinations: [.on("login.microsoftonline.com", [443])] + tags + hosts,
                    citation: trainingDoc, isBuiltIn: true))
                intents.append(IntentDeclaration(
                    form: .mustReach, name: "compute (\(label)) reaches the workspace, storage, key vault and registry through private DNS",
                    sources: subnets, destinations: dependencies, citation: privateLinkDoc, isBuiltIn: true))
                if !packages.isEmpty {
                    intents.append(IntentDeclaration(
                        form: .mustReach, name: "compute (\(label)) reaches the declared package sources",
                        sources: subnets, destinations: packages.map { .on($0, [443]) }, citation: firewallDoc, isBuiltIn: true))
                }
                let permittedPackages = declared.packageHosts ?? AMLRequirements.packageRepositoryFqdns.values.flatMap { $0 }.sorted()
                // A compute subnet that also hosts a jumpbox carries the studio and sign-in names people need there.
                let jumpboxSubnets = Set(graph.all(NetworkInterface.self).filter { !$0.enableIPForwarding }
                    .flatMap { $0.ipConfigurations.compactMap(\.subnet) })
                let shared = subnets.contains { jumpboxSubnets.contains(ResourceID($0)) }
                let studio = shared ? AMLRequirements.jumpboxFqdns.map { IntentTarget.on($0, [443]) } : []
                // Storage.<region> is required (443, and 445 for the file share); the designs hold it to the
                // workspace's accounts with a service endpoint policy.
                let storageTag = IntentTarget.on(region.tag("Storage"), [443, 445])
                let egress: [IntentTarget] = [IntentTarget("VirtualNetwork"), storageTag] + tags + hosts
                    + permittedPackages.map { .on($0, [443]) } + [.on("login.microsoftonline.com", [443])] + studio + declared.additional
                intents.append(IntentDeclaration(
                    form: .mayReachOnly, name: "compute (\(label)) sends nothing beyond the required and declared destinations",
                    sources: subnets, destinations: egress, citation: trainingDoc, isBuiltIn: true))
                computeEgress = egress
                sharesSubnetWithJumpbox = shared
            }
            if managed && computes.contains(where: { $0.subnet == nil }) {
                let source = "managed:\(ws.name)"
                var targets: [IntentTarget] = [.on("login.microsoftonline.com", [443])]
                targets += ["AzureActiveDirectory", "AzureMachineLearning", "AzureResourceManager"].map { .on($0, [443]) }
                targets.append(.on(region.tag("BatchNodeManagement"), [443]))
                if ws.managedNetwork.isolationMode == .allowInternetOutbound || !packages.isEmpty {
                    targets += packages.map { .on($0, [443]) }
                }
                intents.append(IntentDeclaration(
                    form: .mustReach, name: "managed compute of \(ws.name) reaches Entra ID, the required service tags and the declared package sources",
                    sources: [source], destinations: targets, citation: managedDoc, isBuiltIn: true))
            }

            // People: every jumpbox (and VPN client) reaches the studio, the workspace API, notebooks and storage.
            var people: [IntentTarget] = [.on("ml.azure.com", [443]), .on("login.microsoftonline.com", [443])]
            // The integrated notebooks' name, served by the workspace's private endpoint.
            let notebooks = ServiceNames.names(target: .machineLearningWorkspace(ws), groupID: "amlworkspace", graph: graph)
                .map(\.publicName).first { $0.hasSuffix(".notebooks.azure.net") && !$0.hasPrefix("*") }
            if workspaceHasEndpoint {
                people.append(.on(ws.name, [443]))
                if let notebooks { people.append(.on(notebooks, [443])) }
            }
            if let storage { people.append(.on("\(storage.name.lowercased()).blob.core.windows.net", [443])) }
            let hasJumpbox = graph.all(VirtualMachine.self).contains { vm in
                vm.networkInterfaces.contains { nic in graph.resource(nic, as: NetworkInterface.self)?.enableIPForwarding == false }
            }
            if hasJumpbox && workspaceHasEndpoint {
                intents.append(IntentDeclaration(
                    form: .mustReach, name: "every jumpbox reaches the studio, the workspace API and storage",
                    sources: ["all jumpboxes"], destinations: people, citation: studioDoc, isBuiltIn: true))
            }
            if hasJumpbox && jumpboxPermitted.isEmpty {
                jumpboxPermitted = [IntentTarget("VirtualNetwork")] + AMLRequirements.jumpboxFqdns.map { .on($0, [443]) }
                    + declared.additional
            }
            if let computePermitted = computeEgress, sharesSubnetWithJumpbox {
                jumpboxPermitted += computePermitted
            }
            if !graph.all(VirtualNetworkGateway.self).filter({ $0.vpnClientConfiguration != nil }).isEmpty && workspaceHasEndpoint {
                // The client reaches ml.azure.com and Entra ID over its own connection; the tunnel carries the
                // private names, which the client resolves through the hosts file or a resolver in the VNet.
                var tunnel: [IntentTarget] = [.on(ws.name, [443])]
                if let notebooks { tunnel.append(.on(notebooks, [443])) }
                if let storage { tunnel.append(.on("\(storage.name.lowercased()).blob.core.windows.net", [443])) }
                intents.append(IntentDeclaration(
                    form: .mustReach, name: "VPN clients reach the workspace API and storage through the tunnel",
                    sources: ["vpn clients"], destinations: tunnel, citation: privateLinkDoc, isBuiltIn: true))
            }
        }
        guard !intents.isEmpty else { return [] }
        if !jumpboxPermitted.isEmpty {
            // Jumpboxes send nothing beyond the studio, sign-in and what the spec declares (and, when they share a
            // subnet with compute, what compute may send).
            intents.append(IntentDeclaration(
                form: .mayReachOnly, name: "jumpboxes send nothing beyond the studio, sign-in and the declared destinations",
                sources: ["all jumpboxes"], destinations: jumpboxPermitted, citation: studioDoc, isBuiltIn: true))
        }
        // Nothing enters from the internet except the documented fronts of Bastion (443) and the VPN gateway.
        intents.append(IntentDeclaration(
            form: .mayReachOnly, name: "nothing enters from the internet except Bastion and the VPN gateway",
            sources: ["internet"], destinations: [.on("all bastion hosts", [443]), IntentTarget("all vpn gateways")],
            citation: bastionDoc, isBuiltIn: true))
        return intents
    }

    /// Proves built-in intents on `model`. VPN clients resolve private endpoint names through the hosts file
    /// `palisade hosts` prints (or a resolver in the VNet), so the VPN intents are proved under hosts-file name
    /// resolution when the model assumes a public resolver.
    public static func prove(_ intents: [IntentDeclaration], on model: NetworkModel) -> [IntentResult] {
        let viaTunnel = intents.filter { $0.sources == ["vpn clients"] }
        var results = model.prove(intents.filter { $0.sources != ["vpn clients"] })
        if !viaTunnel.isEmpty {
            var options = model.options
            if options.vpnClientDNS == .publicResolver { options.vpnClientDNS = .hostsFile }
            let tunnelModel = options == model.options ? model : NetworkModel.compile(model.graph, options: options)
            results += tunnelModel.prove(viaTunnel)
        }
        return results
    }
}
