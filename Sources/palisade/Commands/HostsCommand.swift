import ArgumentParser
import PalisadeNetwork

/// `palisade hosts [INPUT]`: the hosts-file lines a VPN client needs for every private endpoint name.
struct HostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts", abstract: "Print the hosts-file lines VPN clients need for every private endpoint name.")

    @Argument(help: "A Palisade spec (.yaml), an ARM template or a resource export (.json); omit for the built-in default.")
    var input: String?

    @OptionGroup var inputOptions: InputOptions

    @Option(name: .outputNames, help: "Write to this file instead of standard output (`--out` is accepted too).")
    var output: String?

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        let model = NetworkModel.compile(loaded.graph)
        let entries = model.hostsFile
        let width = entries.map(\.address.description.count).max() ?? 15
        var text = """
        # Hosts-file entries for VPN clients of \(loaded.label).
        # Private DNS zones answer only inside linked VNets (docs/semantics.md#azure-dns-inside-vnet), so a
        # point-to-site client needs these lines (Windows: C:\\Windows\\System32\\drivers\\etc\\hosts, Linux/macOS: /etc/hosts).
        # Endpoint IPs are Azure's dynamic allocation order (first usable address upward), an observed
        # behaviour: check them after deployment with `az network private-endpoint show`.
        # Alternative that scales (docs/semantics.md#vpn-client-dns): an Azure DNS Private Resolver inbound
        # endpoint (or the firewall's DNS proxy) in the VNet, and the clients' DNS forwarding the public zones
        # (api.azureml.ms, notebooks.azure.net, instances.azureml.ms, blob/file.core.windows.net,
        # vault.azure.net, azurecr.io, …) to it; then no hosts file is needed.

        """
        for entry in entries {
            text += entry.address.description.padding(toLength: width + 1, withPad: " ", startingAt: 0) + entry.name + "\n"
        }
        try Output.write(text, to: output)
    }
}
