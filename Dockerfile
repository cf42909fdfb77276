# syntax=docker/dockerfile:1
# Affinsy Connect worker image: `docker build -t affinsy-connect .` from the repository root.
# Runs as a non-root user with a read-only root filesystem; see docs/deploy.md.

ARG DOTNET_VERSION=10.0

# ---- build: restore and publish the host (the `affinsy-connect` executable) ----
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Build settings first, so restore stays cached while only sources change.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# Affinsy.Emulators embeds the sample store (the `emulate` command's catalogue and customers).
COPY samples/sample-store.csv.gz samples/
RUN dotnet restore src/Host/Host.csproj
RUN dotnet publish src/Host/Host.csproj --no-restore -c Release -o /app -p:UseAppHost=true

# ---- runtime: ASP.NET Core runtime (the worker serves /healthz, /readyz, /metrics) ----
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime

# /etc/affinsy: configuration, mounted read-only. /var/lib/affinsy: state and results, a volume.
# The image's non-root `app` user (APP_UID) owns the volume's mount point, so a fresh named volume is writable.
RUN mkdir -p /etc/affinsy /var/lib/affinsy /opt/affinsy/samples \
    && chown "$APP_UID:$APP_UID" /var/lib/affinsy
COPY --from=build /app /app
# The demo pipeline's data, so the compose example runs with no store account.
COPY samples/sample-store.csv.gz /opt/affinsy/samples/

# DOTNET_EnableDiagnostics=0: no debugger/profiler IPC socket in /tmp, so the runtime needs no writable path
# of its own. Results go to output_dir (/var/lib/affinsy/out in deploy/connectors.yaml), in the volume.
ENV PATH="/app:${PATH}" \
    DOTNET_EnableDiagnostics=0 \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    TMPDIR=/tmp
WORKDIR /var/lib/affinsy
VOLUME ["/var/lib/affinsy"]
USER $APP_UID
EXPOSE 8080

# The runtime image has no curl or wget: bash's /dev/tcp sends one HTTP/1.0 request and checks the status line.
# The port is the one in `worker.listen` (8080 in deploy/connectors.yaml).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# SIGTERM (docker stop) drains: scheduling stops, running syncs reach a checkpoint within worker.drain_timeout.
STOPSIGNAL SIGTERM
ENTRYPOINT ["affinsy-connect"]
CMD ["run", "--config", "/etc/affinsy/connectors.yaml"]
