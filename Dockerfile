# Herald image: built from source with Maven, run on a JRE. Used by docker-compose.yml.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
WORKDIR /opt/herald
COPY --from=build /src/app/target/herald.jar /opt/herald/herald.jar
COPY --from=build /src/app/target/lib /opt/herald/lib
RUN useradd --system --home /var/lib/herald herald && mkdir -p /var/lib/herald && chown herald /var/lib/herald
USER herald
ENV HERALD_DATA_DIR=/var/lib/herald HERALD_STATE_DIR=/var/lib/herald/state
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/herald/herald.jar"]
