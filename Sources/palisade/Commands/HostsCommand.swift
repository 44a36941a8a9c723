import ArgumentParser
import Foundation
import PalisadeModel
import PalisadeNetwork

/// `palisade hosts [INPUT]`: the hosts-file lines a VPN client needs for every private endpoint name.
struct HostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts", abstract: "Print the hosts-file lines VPN clients need for every private endpoint name.")

    @Argument(help: "A Palisade spec (.yaml), an ARM template or a resource export (.json); omit for the built-in default.")
    var input: String?

    @OptionGroup var inputOptions: InputOptions

    @Option(help: "The workspace ID Azure assigned at creation (az resource show --ids <workspace resource ID> --query properties.workspaceId -o tsv).")
    var workspaceGuid: String?

    @Option(help: "The Log Analytics workspace ID (az monitor log-analytics workspace show -g <group> -n <name> --query customerId -o tsv).")
    var logAnalyticsId: String?

    @Option(name: .outputNames, help: "Write to this file instead of standard output (`--out` is accepted too).")
    var output: String?

    static func isGUID(_ text: String) -> Bool {
        text.range(of: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", options: .regularExpression) != nil
    }

    func run() throws {
        for (flag, value) in [("--workspace-guid", workspaceGuid), ("--log-analytics-id", logAnalyticsId)] {
            if let value, !Self.isGUID(value) {
                throw ValidationError("\(flag) expects a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e, got '\(value)'")
            }
        }
        var loaded = try LoadedInput.load(input, options: inputOptions)
        let text = HostsFile.render(graph: &loaded.graph, label: loaded.label, workspaceGUID: workspaceGuid,
                                    logAnalyticsID: logAnalyticsId)
        try Output.write(text, to: output)
    }
}
