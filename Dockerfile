# Taskpilot runtime image: the prebuilt launcher jar and its libraries on a Temurin 25 JRE.
#
# The image does not compile anything (no Maven, no dependency downloads inside the build), so
# build the jar on the host first:
#
#   ./taskpilot build                 # writes app/target/taskpilot.jar and app/target/lib/
#   docker compose build              # or: docker build -t taskpilot:local .
#
# The role is the command: `api` (default), `worker` or `dev`, e.g. `docker run taskpilot:local worker`.
# Configuration comes from environment variables (API.md, "Configuration keys") and from extra files
# named in MICRONAUT_CONFIG_FILES.

# Same Temurin build as the JDK the project is developed and tested with (25.0.3+9), on Ubuntu 24.04.
FROM eclipse-temurin:25.0.3_9-jre-noble

# git: per-task worktrees of git workspaces and the git publish target; openssh-client: ssh remotes;
# bubblewrap and socat: the agent sandbox and its bridge to the worker's proxy. In a container the
# sandbox also needs the runtime to allow user namespaces and mounts (README, "The agent sandbox");
# where it does not, profiles left at sandbox: auto run unconfined and the worker says so at startup.
RUN set -eux; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git openssh-client \
        bubblewrap socat; \
    rm -rf /var/lib/apt/lists/*

# A fixed numeric uid/gid so that volume ownership and `runAsNonRoot` checks are predictable.
# /data is created here, owned by that user, so that named volumes mounted below it start writable.
RUN set -eux; \
    groupadd --system --gid 10001 taskpilot; \
    useradd --system --uid 10001 --gid taskpilot --home-dir /home/taskpilot --create-home \
        --shell /bin/bash taskpilot; \
    mkdir -p /data/workspaces /data/published; \
    chown -R taskpilot:taskpilot /data

WORKDIR /opt/taskpilot
# Libraries first: they change less often than the application jar, so this layer stays cached.
COPY app/target/lib/ /opt/taskpilot/lib/
COPY app/target/taskpilot.jar /opt/taskpilot/taskpilot.jar
COPY agents/ /opt/taskpilot/agents/

# The API listens on every interface of the container (outside one, the default is 127.0.0.1); who
# can reach it is decided where the port is published (compose: the host's 127.0.0.1).
ENV TASKPILOT_WORKSPACES_ROOT=/data/workspaces \
    TASKPILOT_PUBLISH_FILE_ROOT=/data/published \
    MICRONAUT_SERVER_HOST=0.0.0.0 \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75.0 -Dtaskpilot.home=/opt/taskpilot"

USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/taskpilot/taskpilot.jar"]
CMD ["api"]
