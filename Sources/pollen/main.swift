import PollenCLI

await PollenCommand.runFromCommandLine()
