/*** PARAMETERS ***/

@description('Name of the DNS zone the team hostnames are published in.')
param zoneName string

@description('Relative names of the team hostnames in this environment (<team>-<environment>).')
param recordNames string[]

@description('Generated FQDN of the Application Gateway for Containers frontend the hostnames point at.')
param frontendFqdn string

/*** EXISTING RESOURCES ***/

resource zone 'Microsoft.Network/dnsZones@2018-05-01' existing = {
  name: zoneName
}

/*** RESOURCES ***/

// Each team hostname is a CNAME of the frontend's FQDN, which stays as long as the frontend does (no external-dns).
resource records 'Microsoft.Network/dnsZones/CNAME@2018-05-01' = [
  for name in recordNames: {
    parent: zone
    name: name
    properties: {
      TTL: 300
      CNAMERecord: {
        cname: frontendFqdn
      }
    }
  }
]
