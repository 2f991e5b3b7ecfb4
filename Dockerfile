# GovInfoReports image. Untested here: no Docker engine runs on the development machines (see README).
# .NET's own runtime images are Ubuntu-based and Ubuntu's chromium is a snap that does not run in a
# container, so the app is published self-contained and run on debian:12-slim with Debian's chromium.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/GovInfoReports.Web -c Release -r linux-x64 --self-contained true -o /app

FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates tzdata libicu72 chromium fonts-noto-cjk curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fs http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/app/GovInfoReports.Web"]
