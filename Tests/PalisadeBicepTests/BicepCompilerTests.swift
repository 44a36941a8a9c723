import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeBicep

/// Bicep constructs compiled and expanded, each from the documented example.
@Suite struct BicepCompilerTests {
    /// A scratch directory with the given files.
    static func directory(_ files: [String: String]) -> String {
        let dir = NSTemporaryDirectory() + "palisade-bicep-\(UUID().uuidString)"
        for (name, text) in files {
            let path = dir + "/" + name
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
        return dir
    }

    static func expand(_ text: String, files: [String: String] = [:], parameters: [String: ARMValue] = [:],
                       options: BicepOptions = BicepOptions()) -> ExpandedDeployment {
        let dir = directory(files.merging(["main.bicep": text]) { a, _ in a })
        var evaluation = EvaluationOptions()
        evaluation.parameters = parameters
        let compiled = BicepCompiler.compile(file: dir + "/main.bicep", options: options)
        return BicepExpander.expand(compiled, options: evaluation)
    }

    static func resource(_ d: ExpandedDeployment, _ name: String) -> ExpandedResource? { d.resources.first { $0.name == name } }

    // MARK: Errors

    /// Syntax errors name file:line:column (https://learn.microsoft.com/azure/azure-resource-manager/bicep/file).
    @Test func syntaxErrorsHaveLineAndColumn() throws {
        let compiled = BicepCompiler.compile(text: "param a string\nvar b = (1 + \n", file: "bad.bicep")
        #expect(compiled.template == nil)
        let error = try #require(compiled.diagnostics.errors.first)
        #expect(error.location?.file == "bad.bicep")
        #expect(error.location?.line == 3)
        #expect(error.location?.column != nil)
    }

    @Test func unknownSymbolsAreErrors() throws {
        let compiled = BicepCompiler.compile(text: "output x string = missingThing\n", file: "u.bicep")
        let error = try #require(compiled.diagnostics.errors.first)
        #expect(error.message.contains("missingThing"))
        #expect(error.location?.line == 1 && error.location?.column == 19)
    }

    /// Hostile nesting is an error, never a stack overflow.
    @Test func deepNestingIsBounded() {
        let deep = "var x = " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        let compiled = BicepCompiler.compile(text: deep, file: "deep.bicep")
        #expect(compiled.diagnostics.errors.first?.message.contains("nested") == true)
        let strings = "var y = '" + String(repeating: "${'", count: 2000) + "\n"
        #expect(BicepCompiler.compile(text: strings, file: "s.bicep").diagnostics.hasErrors)
    }

    /// Modules that use each other are a cycle error, not a hang.
    @Test func moduleCyclesAreErrors() {
        let d = Self.expand("module a 'a.bicep' = { name: 'a' }\n", files: ["a.bicep": "module b 'main.bicep' = { name: 'b' }\n"])
        #expect(d.diagnostics.errors.contains { $0.message.contains("cycle") })
    }

    // MARK: Parameters, variables, expressions

    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameters#use-decorators
    @Test func parameterDecorators() {
        let text = """
        @allowed([
          'Standard_LRS'
          'Premium_LRS'
        ])
        param sku string = 'Standard_LRS'
        @minValue(1)
        @maxValue(5)
        param count int = 2
        @secure()
        param password string
        @description('Optional tags')
        param tags object?
        output sku string = sku
        output tagsNull bool = tags == null
        output pw string = password
        """
        let ok = Self.expand(text, parameters: ["password": .string("hunter2")])
        #expect(!ok.diagnostics.hasErrors, "\(ok.diagnostics.errors)")
        #expect(ok.outputs["sku"] == .string("Standard_LRS"))
        #expect(ok.outputs["tagsNull"] == .bool(true))
        #expect(!ok.renderJSON().contains("hunter2"))
        let bad = Self.expand(text, parameters: ["sku": .string("Gold"), "count": .int(9), "password": .string("x")])
        #expect(bad.diagnostics.errors.contains { $0.code == "arm.parameter-not-allowed" })
        #expect(bad.diagnostics.errors.contains { $0.code == "arm.parameter-range" })
    }

    /// Interpolation, operators, ternary, safe dereference and coalesce:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/operators
    @Test func expressions() {
        let text = """
        param prefix string = 'app'
        param settings object = { tier: 'gold', nested: { a: 1 } }
        var name = '${prefix}-${toLower('WEB')}-{x}'
        output name string = name
        output math int = (7 + 3) * 2 - 10 / 5 % 3
        output cmp bool = 'ABC' =~ 'abc' && !(1 > 2) || false
        output tern string = length(prefix) > 2 ? 'long' : 'short'
        output safe string = settings.?missing.?deeper ?? 'fallback'
        output safeIndex int = settings.nested[?'a'] ?? 0
        output chain string? = settings.?missing.notThere
        output multi string = '''
        literal ${not} interpolated
        '''
        """
        let d = Self.expand(text)
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        #expect(d.outputs["name"] == .string("app-web-{x}"))
        #expect(d.outputs["math"] == .int(18))
        #expect(d.outputs["cmp"] == .bool(true))
        #expect(d.outputs["tern"] == .string("long"))
        #expect(d.outputs["safe"] == .string("fallback"))
        #expect(d.outputs["safeIndex"] == .int(1))
        #expect(d.outputs["chain"] == .null)
        #expect(d.outputs["multi"] == .string("literal ${not} interpolated\n"))
    }

    /// Spread (https://learn.microsoft.com/azure/azure-resource-manager/bicep/operator-spread) and lambdas
    /// (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-lambda).
    @Test func spreadAndLambdas() {
        let text = """
        var base = { a: 1, b: 2 }
        var merged = { ...base, b: 3, c: 4 }
        var list = [0, ...[1, 2], 3]
        output merged object = merged
        output list array = list
        output doubled array = map([1, 2, 3], x => x * 2)
        output evens array = filter(range(0, 6), n => n % 2 == 0)
        output total int = reduce([1, 2, 3], 0, (acc, x) => acc + x)
        """
        let d = Self.expand(text)
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        #expect(d.outputs["merged"] == .object(ARMObject([("a", .int(1)), ("b", .int(3)), ("c", .int(4))])))
        #expect(d.outputs["list"] == .array([.int(0), .int(1), .int(2), .int(3)]))
        #expect(d.outputs["doubled"] == .array([.int(2), .int(4), .int(6)]))
        #expect(d.outputs["evens"] == .array([.int(0), .int(2), .int(4)]))
        #expect(d.outputs["total"] == .int(6))
    }

    /// User-defined types and functions: https://learn.microsoft.com/azure/azure-resource-manager/bicep/user-defined-data-types
    /// and https://learn.microsoft.com/azure/azure-resource-manager/bicep/user-defined-functions
    @Test func typesAndFunctions() {
        let text = """
        type subnetType = {
          name: string
          prefix: string
          @description('Optional.')
          nsg: string?
        }
        param subnets subnetType[] = [
          { name: 'a', prefix: '10.0.0.0/24' }
        ]
        func label(name string, index int) string => '${name}-${index}'
        output first string = label(subnets[0].name, 1)
        """
        let d = Self.expand(text)
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        #expect(d.outputs["first"] == .string("a-1"))
        let bad = Self.expand(text, parameters: ["subnets": .array([.object(ARMObject([("name", .string("a"))]))])])
        #expect(bad.diagnostics.errors.contains { $0.message.contains("prefix") })
    }

    // MARK: Resources

    /// Nested child resources, `parent:`, `existing` and implicit dependencies:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/child-resource-name-type and
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/resource-dependencies
    @Test func resourcesChildrenAndDependencies() throws {
        let text = """
        param location string = 'westeurope'
        resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
          name: 'vnet1'
          location: location
          properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }
          resource web 'subnets' = {
            name: 'web'
            properties: { addressPrefix: '10.0.1.0/24' }
          }
        }
        resource data 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {
          parent: vnet
          name: 'data'
          properties: { addressPrefix: '10.0.2.0/24' }
        }
        resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
          name: 'shared-kv'
        }
        resource nic 'Microsoft.Network/networkInterfaces@2023-09-01' = {
          name: 'nic1'
          location: location
          properties: {
            ipConfigurations: [{ name: 'ip', properties: { subnet: { id: vnet::web.id } } }]
          }
          tags: { vault: kv.id, uri: kv.properties.vaultUri }
        }
        """
        let d = Self.expand(text)
        let web = try #require(Self.resource(d, "vnet1/web"))
        #expect(web.type == "Microsoft.Network/virtualNetworks/subnets")
        #expect(web.dependsOn == ["vnet"])
        let data = try #require(Self.resource(d, "vnet1/data"))
        #expect(data.dependsOn == ["vnet"])
        let nic = try #require(Self.resource(d, "nic1"))
        // `.id` of the subnet is a dependency; the existing vault is one only because its properties are read.
        #expect(Set(nic.dependsOn) == ["vnet::web", "kv"])
        #expect(nic.properties["ipConfigurations"]?.arrayValue?.first?["properties"]?["subnet"]?["id"]?.stringValue?.hasSuffix("/virtualNetworks/vnet1/subnets/web") == true)
        #expect(Self.resource(d, "shared-kv")?.existing == true)
        #expect(web.source.line == 6)
    }

    /// Loops over arrays, ranges, with index and with a filter; conditions:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/loops and
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/conditional-resource-deployment
    @Test func loopsAndConditions() {
        let text = """
        param names array = ['a', 'b', 'c']
        param deployLock bool = false
        resource accounts 'Microsoft.Storage/storageAccounts@2023-01-01' = [for (n, i) in names: if (n != 'b') {
          name: 'st${n}${i}'
          location: 'westeurope'
          kind: 'StorageV2'
          sku: { name: 'Standard_LRS' }
          properties: {
            rules: [for j in range(0, 2): { index: j, of: n }]
          }
        }]
        resource lock 'Microsoft.Authorization/locks@2020-05-01' = if (deployLock) {
          name: 'lock'
          properties: { level: 'CanNotDelete' }
        }
        var squares = [for k in range(1, 3): k * k]
        output squares array = squares
        output second string = accounts[1].name
        """
        let d = Self.expand(text)
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        #expect(d.resources.map(\.name) == ["sta0", "stc2"])
        #expect(Self.resource(d, "stc2")?.properties["rules"] == .array([
            .object(ARMObject([("index", .int(0)), ("of", .string("c"))])), .object(ARMObject([("index", .int(1)), ("of", .string("c"))])),
        ]))
        #expect(d.outputs["squares"] == .array([.int(1), .int(4), .int(9)]))
        #expect(d.outputs["second"] == .string("stb1"))
        #expect(Self.expand(text, parameters: ["deployLock": .bool(true)]).resources.contains { $0.name == "lock" })
    }

    /// Extension resources with `scope:` get IDs under their target:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/scope-extension-resources
    @Test func extensionResourceScope() throws {
        let text = """
        resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
          name: 'st1'
          location: 'westeurope'
          kind: 'StorageV2'
          sku: { name: 'Standard_LRS' }
        }
        resource lock 'Microsoft.Authorization/locks@2020-05-01' = {
          name: 'lock'
          scope: st
          properties: { level: 'CanNotDelete' }
        }
        output lockId string = lock.id
        """
        let d = Self.expand(text)
        let lock = try #require(Self.resource(d, "lock"))
        #expect(lock.id.hasSuffix("/storageAccounts/st1/providers/Microsoft.Authorization/locks/lock"))
        #expect(d.outputs["lockId"]?.stringValue == lock.id)
    }

    // MARK: Modules, files, parameters files

    /// Local modules become nested deployments with inner scope; outputs flow back; resources point at the
    /// module file: https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules
    @Test func localModules() throws {
        let module = """
        param name string
        resource pip 'Microsoft.Network/publicIPAddresses@2023-09-01' = {
          name: name
          location: 'westeurope'
          sku: { name: 'Standard' }
          properties: { publicIPAllocationMethod: 'Static' }
        }
        output id string = pip.id
        """
        let text = """
        module ip 'modules/ip.bicep' = {
          name: 'ip-deployment'
          params: { name: 'pip1' }
        }
        output ipId string = ip.outputs.id
        """
        let d = Self.expand(text, files: ["modules/ip.bicep": module])
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        let pip = try #require(Self.resource(d, "pip1"))
        #expect(pip.deploymentPath == ["ip-deployment"])
        #expect(pip.source.file.hasSuffix("modules/ip.bicep"))
        #expect(pip.source.line == 2)
        #expect(d.outputs["ipId"]?.stringValue?.hasSuffix("/publicIPAddresses/pip1") == true)
        #expect(Self.resource(d, "ip-deployment")?.body["properties"]?["expressionEvaluationOptions"]?["scope"] == .string("inner"))
    }

    /// Registry modules come from --module-path (`<path>/<version>/main.json`) or Bicep's cache; a module found in
    /// neither, and template specs, are reported by name and the rest still expands.
    @Test func registryModules() {
        let registry = Self.directory(["avm/res/demo/thing/1.0.0/main.json": """
        {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
         "parameters": {"name": {"type": "string"}},
         "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "[parameters('name')]", "location": "westeurope"}]}
        """])
        let text = """
        module a 'br/public:avm/res/demo/thing:1.0.0' = { name: 'a', params: { name: 'nsg-a' } }
        module b 'br/public:avm/res/demo/missing:2.0.0' = { name: 'b' }
        module c 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = { name: 'c' }
        resource other 'Microsoft.Network/networkSecurityGroups@2023-09-01' = { name: 'nsg-local', location: 'westeurope' }
        """
        var options = BicepOptions()
        options.modulePaths = [registry]
        options.cacheRoot = registry + "/no-cache"
        let d = Self.expand(text, options: options)
        #expect(d.resources.contains { $0.name == "nsg-a" })
        #expect(d.resources.contains { $0.name == "nsg-local" })
        let notRead = d.diagnostics.items.filter { $0.code == "bicep.module-not-read" }
        #expect(notRead.count == 2)
        #expect(notRead.contains { $0.message.contains("br/public:avm/res/demo/missing:2.0.0") })
        #expect(notRead.contains { $0.message.contains("ts:") })
        // The same module from Bicep's cache layout (br/<registry>/<repo with $>/<tag>$/main.json).
        let cache = Self.directory(["br/mcr.microsoft.com/bicep$avm$res$demo$thing/1.0.0$/main.json":
            (try? String(contentsOfFile: registry + "/avm/res/demo/thing/1.0.0/main.json", encoding: .utf8)) ?? ""])
        var cached = BicepOptions()
        cached.cacheRoot = cache
        #expect(Self.expand("module a 'br/public:avm/res/demo/thing:1.0.0' = { name: 'a', params: { name: 'nsg-c' } }\n",
                            options: cached).resources.contains { $0.name == "nsg-c" })
    }

    /// import/export, loadTextContent and loadJsonContent:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-import and
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-files
    @Test func importsAndFileFunctions() {
        let shared = """
        @export()
        type tier = 'gold' | 'silver'
        @export()
        var defaults = { tier: 'gold', size: 3 }
        @export()
        func double(x int) int => x * 2
        """
        let text = """
        import { tier, defaults, double } from 'shared.bicep'
        import * as s from 'shared.bicep'
        param level tier = 'silver'
        output size int = double(defaults.size)
        output level string = level
        output viaNamespace object = s.defaults
        output script string = loadTextContent('script.sh')
        output config string = loadJsonContent('config.json').name
        output part int = loadJsonContent('config.json', '$.limits').max
        """
        let d = Self.expand(text, files: ["shared.bicep": shared, "script.sh": "echo hi\n",
                                          "config.json": #"{"name": "[not an expression]", "limits": {"max": 4}}"#])
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        #expect(d.outputs["size"] == .int(6))
        #expect(d.outputs["level"] == .string("silver"))
        #expect(d.outputs["viaNamespace"]?["tier"] == .string("gold"))
        #expect(d.outputs["script"] == .string("echo hi\n"))
        #expect(d.outputs["config"] == .string("[not an expression]"))
        #expect(d.outputs["part"] == .int(4))
        let bad = Self.expand(text, files: ["shared.bicep": shared, "script.sh": "", "config.json": "{}"], parameters: ["level": .string("bronze")])
        #expect(bad.diagnostics.hasErrors)
    }

    /// `.bicepparam` files supply values (https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameter-files),
    /// and expanding the parameters file expands the template it names.
    @Test func bicepParameterFiles() {
        let dir = Self.directory([
            "main.bicep": "param env string\nparam size int = 1\noutput tag string = '${env}-${size}'\n",
            "dev.bicepparam": "using 'main.bicep'\nvar suffix = 'v'\nparam env = 'dev${suffix}'\nparam size = 2 + 1\n",
            "prod.parameters.json": #"{"parameters": {"env": {"value": "prod"}}}"#,
        ])
        let viaParam = BicepExpander.expand(file: dir + "/dev.bicepparam")
        #expect(!viaParam.diagnostics.hasErrors, "\(viaParam.diagnostics.errors)")
        #expect(viaParam.outputs["tag"] == .string("devv-3"))
        let viaJSON = BicepExpander.expand(file: dir + "/main.bicep", parameterFiles: [dir + "/prod.parameters.json"])
        #expect(viaJSON.outputs["tag"] == .string("prod-1"))
        let missing = BicepExpander.expand(file: dir + "/main.bicep")
        #expect(missing.diagnostics.errors.contains { $0.code == "arm.missing-parameters" })
    }

    /// The blueprint reads completely: every module resolves and resources point at their own .bicep files.
    @Test func blueprintReadsCompletely() {
        let file = Fixtures.path("bicep/azure-ml-secure-blueprint/app-infrastructure.bicep")
        let d = BicepExpander.expand(file: file, overrides: ["instance": "dev", "prefix": "blueprint", "location": "westeurope",
                                                             "vmAdminPassword": "not-shown"])
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        let files = Set(d.resources.map { ($0.source.file as NSString).lastPathComponent })
        for expected in ["app-infrastructure.bicep", "machineLearningWorkspace.bicep", "virtualMachine.bicep", "publicIp.bicep",
                         "privateEndpoint.bicep", "vnet.bicep", "storageAccount.bicep"] {
            #expect(files.contains(expected), "no resource located in \(expected)")
        }
        let workspace = d.resources.first { $0.type == "Microsoft.MachineLearningServices/workspaces" }
        #expect(workspace?.properties["imageBuildCompute"] == .string("cpu-compute"))
        #expect(workspace?.source.line == 25)
        #expect(!d.renderJSON().contains("not-shown"))
    }
}

extension BicepCompilerTests {
    /// Problems found while evaluating a module point at the module's file and line, not the root file.
    @Test func evaluationDiagnosticsNameTheModuleFile() throws {
        let module = "param count int\nparam names array = []\noutput first string = names[count]\n"
        let d = Self.expand("module m 'mod.bicep' = {\n  name: 'm'\n  params: { count: 3 }\n}\n", files: ["mod.bicep": module])
        let error = try #require(d.diagnostics.errors.first)
        #expect(error.location?.file.hasSuffix("mod.bicep") == true, "\(error)")
        #expect(error.location?.line == 3)
    }
}

extension BicepCompilerTests {
    /// Two imported types that each use a different type of the same name keep both (the second as `_1.name`).
    @Test func transitiveImportsWithTheSameNameStayApart() {
        let security = "type ruleType = { access: string }\n@export()\ntype securityType = { rules: ruleType[] }\n"
        let routing = "type ruleType = { nextHop: string }\n@export()\ntype routingType = { rules: ruleType[] }\n"
        let text = """
        import { securityType } from 'security.bicep'
        import { routingType } from 'routing.bicep'
        param security securityType = { rules: [{ access: 'Allow' }] }
        param routing routingType = { rules: [{ nextHop: 'Internet' }] }
        output ok bool = true
        """
        let d = Self.expand(text, files: ["security.bicep": security, "routing.bicep": routing])
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        let wrong = Self.expand(text, files: ["security.bicep": security, "routing.bicep": routing],
                                parameters: ["routing": .object(ARMObject([("rules", .array([.object(ARMObject([("access", .string("Allow"))]))]))]))])
        #expect(wrong.diagnostics.errors.contains { $0.message.contains("nextHop") })
    }
}

extension BicepCompilerTests {
    /// Cycles in `parent:` and in type aliases are errors or stay bounded, never a hang.
    @Test func cyclesAreBounded() {
        let parents = """
        resource a 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = { parent: b, name: 'a' }
        resource b 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = { parent: a, name: 'b' }
        """
        #expect(BicepCompiler.compile(text: parents, file: "p.bicep").diagnostics.errors.first?.message.contains("cycle") == true)
        let types = "type a = b | 'x'\ntype b = a | 'y'\nparam p a = 'x'\n"
        #expect(BicepCompiler.compile(text: types, file: "t.bicep").diagnostics.errors.first?.message.contains("itself") == true)
        // A recursive object type is fine.
        let tree = "type node = { name: string, children: node[]? }\nparam root node = { name: 'r', children: [{ name: 'c' }] }\n"
        #expect(!BicepCompiler.compile(text: tree, file: "tree.bicep").diagnostics.hasErrors)
    }

    /// `bicepconfig.json` aliases and `cacheRootDirectory`:
    /// https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-config-modules
    @Test func bicepConfigAliasesAndCacheRoot() {
        let template = #"{"resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-alias", "location": "westeurope"}]}"#
        let d = Self.expand("module a 'br/contoso:network/nsg:1.2.0' = { name: 'a' }\n", files: [
            "bicepconfig.json": #"{"cacheRootDirectory": "cache", "moduleAliases": {"br": {"contoso": {"registry": "contoso.azurecr.io", "modulePath": "bicep/modules"}}}}"#,
            "cache/br/contoso.azurecr.io/bicep$modules$network$nsg/1.2.0$/main.json": template,
        ])
        #expect(!d.diagnostics.hasErrors, "\(d.diagnostics.errors)")
        #expect(d.resources.contains { $0.name == "nsg-alias" })
        let unknown = Self.expand("module a 'br/nowhere:network/nsg:1.2.0' = { name: 'a' }\n")
        #expect(unknown.diagnostics.items.contains { $0.code == "bicep.module-not-read" && $0.message.contains("br/nowhere") })
    }
}
