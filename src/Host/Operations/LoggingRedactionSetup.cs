using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Operations;

/// <summary>Puts every logger provider registered so far behind a <see cref="RedactingLoggerProvider"/>.</summary>
internal static class LoggingRedactionSetup
{
    /// <summary>
    /// Wraps each <see cref="ILoggerProvider"/> already registered (call it after <c>AddConsole</c>/<c>AddJsonConsole</c>)
    /// so that none of <paramref name="secrets"/> reaches any output. Provider-specific filter sections
    /// (<c>Logging:Console:LogLevel</c>) no longer match the wrapped provider: filter by category instead.
    /// </summary>
    public static ILoggingBuilder AddSecretRedaction(this ILoggingBuilder builder, IReadOnlyCollection<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(secrets);
        var services = builder.Services;
        for (var i = 0; i < services.Count; i++)
        {
            var original = services[i];
            if (original.ServiceType != typeof(ILoggerProvider) || original.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(
                provider => new RedactingLoggerProvider(Create(provider, original), secrets));
        }

        return builder;
    }

    private static ILoggerProvider Create(IServiceProvider provider, ServiceDescriptor original) =>
        (ILoggerProvider)(original.ImplementationInstance
            ?? original.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, original.ImplementationType!));
}
