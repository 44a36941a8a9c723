import Foundation
import Testing

/// The pull-request pipeline of docs/ci, run as its steps run: in a git repository with two commits,
/// `palisade check` and `palisade diff --base origin/main` with SARIF and the Markdown comment.
@Suite struct DiffPipelineTests {
    static let before = """
    {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
     "resources": [
      {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-web", "location": "westeurope",
       "properties": {"securityRules": [
         {"name": "allow-https", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
          "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "443"}}]}},
      {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-vm", "location": "westeurope",
       "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static", "ipAddress": "20.1.2.3"}},
      {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
       "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "web", "properties": {"addressPrefix": "10.0.1.0/24",
           "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-web')]"}}}]}},
      {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "nic-vm", "location": "westeurope",
       "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAllocationMethod": "Static", "privateIPAddress": "10.0.1.4",
         "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'web')]"},
         "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-vm')]"}}}]}}
     ]}
    """
    /// The pull request: SSH from the Internet "for a test".
    static let after = before.replacingOccurrences(of: """
    "destinationPortRange": "443"}}]}},
    """, with: """
    "destinationPortRange": "443"}},
         {"name": "ssh", "properties": {"priority": 110, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
          "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}},
    """)

    func run(_ executable: URL, _ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func git(_ arguments: [String], in directory: URL) throws {
        let result = try run(URL(fileURLWithPath: "/usr/bin/env"),
                             ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"] + arguments, in: directory)
        #expect(result.status == 0, "git \(arguments): \(result.stderr)")
    }

    @Test func pullRequestPipeline() throws {
        let repo = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: repo) }
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("infra"), withIntermediateDirectories: true)
        let input = repo.appendingPathComponent("infra/main.json")
        try git(["init", "-q", "-b", "main"], in: repo)
        try Data(Self.before.utf8).write(to: input)
        try git(["add", "infra/main.json"], in: repo)
        try git(["commit", "-q", "-m", "estate"], in: repo)
        try git(["update-ref", "refs/remotes/origin/main", "HEAD"], in: repo)
        try git(["checkout", "-q", "-b", "open-ssh"], in: repo)
        try Data(Self.after.utf8).write(to: input)
        try git(["commit", "-q", "-am", "open ssh for a test"], in: repo)

        // The same commands as docs/ci/github-actions.yml and docs/ci/azure-pipelines.yml.
        let workflow = try String(contentsOf: CLITests.repository.appendingPathComponent("docs/ci/github-actions.yml"), encoding: .utf8)
        let pipeline = try String(contentsOf: CLITests.repository.appendingPathComponent("docs/ci/azure-pipelines.yml"), encoding: .utf8)
        for text in [workflow, pipeline] {
            #expect(text.contains("palisade check \"$"))
            #expect(text.contains("palisade diff --base \"") && text.contains("--format sarif") && text.contains("--markdown-output"))
        }
        let check = try run(CLITests.binary, ["check", "infra/main.json", "--format", "sarif", "--output", "palisade-check.sarif"], in: repo)
        #expect(check.status == 1, "\(check.stderr)")
        let diff = try run(CLITests.binary, ["diff", "--base", "origin/main", "infra/main.json", "--format", "sarif",
                                             "--output", "palisade-diff.sarif", "--markdown-output", "palisade-diff.md"], in: repo)
        #expect(diff.status == 1, "the change opens SSH from the Internet: \(diff.stderr)")
        let sarif = try String(contentsOf: repo.appendingPathComponent("palisade-diff.sarif"), encoding: .utf8)
        let markdown = try String(contentsOf: repo.appendingPathComponent("palisade-diff.md"), encoding: .utf8)
        // Only what the change introduces, at repository-relative paths with line numbers.
        #expect(sarif.contains("\"uri\" : \"infra/main.json\"") || sarif.contains("\"uri\":\"infra/main.json\""), "\(sarif.prefix(3000))")
        #expect(sarif.contains("startLine"))
        #expect(sarif.contains("nsg_internet_management_ports") || sarif.contains("internet_exposure"))
        #expect(!sarif.contains(repo.path))
        #expect(markdown.contains("**Fails:**") && markdown.contains("20.1.2.3") && markdown.contains("Tcp/22"), "\(markdown)")
        #expect(markdown.count < 65_536)
        // The README shows this very comment.
        let readme = try String(contentsOf: CLITests.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let shown = readme.components(separatedBy: "\n").drop { !$0.hasPrefix("> ### Palisade network review") }
            .prefix { $0.hasPrefix(">") }.map { $0 == ">" ? "" : String($0.dropFirst(2)) }.joined(separator: "\n")
        #expect(shown == markdown.trimmingCharacters(in: .newlines), "README.md's example comment is not what diff writes:\n\(markdown)")

        // The reverse change resolves findings of the old version: they are named at `REV:path`, never at the
        // temporary copy, so the JSON is the same bytes on every run.
        try git(["checkout", "-q", "main"], in: repo)
        try Data(Self.after.utf8).write(to: input)
        try git(["commit", "-q", "-am", "ssh"], in: repo)
        try Data(Self.before.utf8).write(to: input)
        let first = try run(CLITests.binary, ["diff", "--base", "HEAD", "infra/main.json", "--format", "json"], in: repo)
        let second = try run(CLITests.binary, ["diff", "--base", "HEAD", "infra/main.json", "--format", "json"], in: repo)
        #expect(first.stdout == second.stdout && first.stdout.contains("HEAD:infra/main.json"), "\(first.stdout.prefix(2000))")
        #expect(!first.stdout.contains("palisade-diff-"))
        try git(["checkout", "-q", "--", "infra/main.json"], in: repo)
        try git(["checkout", "-q", "open-ssh"], in: repo)

        // No change against itself: exit 0; `--fail-on none` never fails.
        let same = try run(CLITests.binary, ["diff", "--base", "HEAD", "infra/main.json"], in: repo)
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        let waived = try run(CLITests.binary, ["diff", "--base", "origin/main", "infra/main.json", "--fail-on", "none"], in: repo)
        #expect(waived.status == 0)
        let other = try run(CLITests.binary, ["diff", "--base", "origin/main", "infra/main.json", "--fail-on", "required-flow,intent"], in: repo)
        #expect(other.status == 0)
        // A bad revision is invalid input (exit 2) with a message naming the file.
        let bad = try run(CLITests.binary, ["diff", "--base", "no-such-ref", "infra/main.json"], in: repo)
        #expect(bad.status == 2 && bad.stderr.contains("infra/main.json"))
    }

    /// `--base` on a Terraform directory whose module lives beside it: the whole tree at the revision is read, so
    /// the module resolves; run from a subdirectory, the path is taken relative to it; the repository (index, work tree) is untouched.
    @Test func baseComparesATerraformDirectoryWithItsModules() throws {
        let repo = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-tf-base-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: repo) }
        let module = repo.appendingPathComponent("modules/nsg")
        let root = repo.appendingPathComponent("infra/prod")
        try FileManager.default.createDirectory(at: module, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        func rules(_ ports: String) -> String {
            """
            variable "name" { type = string }
            resource "azurerm_network_security_group" "this" {
              name                = var.name
              location            = "westeurope"
              resource_group_name = "rg"
              security_rule {
                name                       = "web"
                priority                   = 100
                direction                  = "Inbound"
                access                     = "Allow"
                protocol                   = "Tcp"
                source_port_range          = "*"
                destination_port_ranges    = [\(ports)]
                source_address_prefix      = "Internet"
                destination_address_prefix = "*"
              }
            }
            """
        }
        try rules("\"443\"").write(to: module.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        try """
        module "nsg" {
          source = "../../modules/nsg"
          name   = "nsg-web"
        }
        """.write(to: root.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        try git(["init", "-q", "-b", "main"], in: repo)
        try git(["add", "."], in: repo)
        try git(["commit", "-q", "-m", "estate"], in: repo)
        try rules("\"443\", \"22\"").write(to: module.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        let diff = try run(CLITests.binary, ["diff", "--base", "HEAD", "prod", "--format", "json"], in: repo.appendingPathComponent("infra"))
        #expect(diff.status == 0 || diff.status == 1, "\(diff.stderr)")
        #expect(diff.stdout.contains("securityRules['web'].destinationPorts.ranges[1]"), "\(diff.stdout)")
        #expect(!diff.stdout.contains("\"added\""), "the module at the revision was not found: \(diff.stdout)")
        let status = try run(URL(fileURLWithPath: "/usr/bin/env"), ["git", "status", "--porcelain"], in: repo)
        #expect(status.stdout == " M modules/nsg/main.tf\n")
    }
}
