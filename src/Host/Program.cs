using Affinsy.Host.Cli;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
