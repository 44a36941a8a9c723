import Foundation
import PalisadeModel

/// The hosts file for point-to-site clients. Names that embed GUIDs Azure assigns at creation (the workspace ID,
/// the Log Analytics workspace ID) cannot be known before deployment: unless the caller supplies them (or an
/// imported resource carries them as a `workspaceId` tag), those lines are written commented out with a
/// `<workspace-guid>` / `<log-analytics-id>` placeholder and the command that fills them in.
public enum HostsFile {
    /// Renders the file; fills the supplied GUIDs into `graph` (as `workspaceId` tags) before compiling.
    public static func render(graph: inout ResourceGraph, label: String, workspaceGUID: String?, logAnalyticsID: String?) -> String {
        var placeholders: [(guid: String, placeholder: String, how: String)] = []
        for var workspace in graph.all(MachineLearningWorkspace.self) {
            if let workspaceGUID {
                workspace.tags["workspaceId"] = workspaceGUID.lowercased()
                graph.insert(workspace)
            } else if workspace.tags["workspaceId"] == nil && workspace.tags["workspaceid"] == nil {
                placeholders.append((ServiceNames.workspaceGUID(workspace), "<workspace-guid>",
                                     "palisade hosts --workspace-guid $(az resource show --ids \(workspace.id.rawValue) --query properties.workspaceId -o tsv)"))
            }
        }
        for var logs in graph.all(LogAnalyticsWorkspace.self) {
            if let logAnalyticsID {
                logs.tags["workspaceId"] = logAnalyticsID.lowercased()
                graph.insert(logs)
            } else if logs.tags["workspaceId"] == nil && logs.tags["workspaceid"] == nil {
                placeholders.append((ServiceNames.logAnalyticsGUID(logs), "<log-analytics-id>",
                                     "palisade hosts --log-analytics-id $(az monitor log-analytics workspace show --ids \(logs.id.rawValue) --query customerId -o tsv)"))
            }
        }
        let model = NetworkModel.compile(graph)
        let entries = model.hostsFile
        let width = entries.map(\.address.description.count).max() ?? 15
        var text = """
        # Hosts-file entries for VPN clients of \(label).
        # Private DNS zones answer only inside linked VNets (Azure DNS at 168.63.129.16), so a point-to-site client
        # needs these lines (Windows: C:\\Windows\\System32\\drivers\\etc\\hosts, Linux/macOS: /etc/hosts).
        # Endpoint IPs are Azure's dynamic allocation order (first usable address upward), an observed
        # behaviour: check them after deployment with `az network private-endpoint show`.
        # Alternative that scales: an Azure DNS Private Resolver inbound endpoint (or the firewall's DNS proxy) in
        # the VNet, and the clients' DNS forwarding the public zones (api.azureml.ms, notebooks.azure.net,
        # instances.azureml.ms, blob/file.core.windows.net, vault.azure.net, azurecr.io, …) to it; then no hosts
        # file is needed (https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns).

        """
        let pending = placeholders.filter { placeholder in entries.contains { $0.name.contains(placeholder.guid) } }
        if !pending.isEmpty {
            text += "# Some names embed IDs Azure assigns when the resource is created; their lines are commented out\n"
            text += "# with a placeholder until you supply the IDs after deployment:\n"
            for placeholder in pending { text += "#   \(placeholder.placeholder): \(placeholder.how)\n" }
            text += "\n"
        }
        for entry in entries {
            var name = entry.name
            var prefix = ""
            for placeholder in pending where name.contains(placeholder.guid) {
                name = name.replacingOccurrences(of: placeholder.guid, with: placeholder.placeholder)
                prefix = "# "
            }
            text += prefix + entry.address.description.padding(toLength: width + 1, withPad: " ", startingAt: 0) + name + "\n"
        }
        return text
    }
}
